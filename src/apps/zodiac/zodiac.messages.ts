import type { Catalogue } from '../../core/i18n/messages.js';
import { visionMessages } from '../../core/vision/image-intake.js';

// Sign-up wording is the original front end's (docs/apps/zodiac.md §5.2), now enforced by the server.
export const zodiacMessages: Catalogue = {
  LOGGED_OUT: { ko: '로그아웃되었습니다.', en: 'You have been logged out.' },
  ...visionMessages,
  USERNAME_TOO_SHORT: { ko: '아이디는 2글자 이상입니다.', en: 'The username needs at least 2 characters.' },
  USERNAME_TOO_LONG: { ko: '아이디는 최대 10글자입니다.', en: 'The username has at most 10 characters.' },
  USERNAME_FORMAT: { ko: '다시 입력해주세요. (영어, 숫자 조합)', en: 'Use English letters and digits, starting with a letter.' },
  USERNAME_TAKEN: { ko: '이미 등록된 아이디 입니다.', en: 'This username is already registered.' },
  PASSWORD_TOO_SHORT: { ko: '비밀번호는 최소 8자리 이상입니다.', en: 'The password needs at least 8 characters.' },
  PASSWORD_TOO_LONG: { ko: '비밀번호는 최대 16자리입니다.', en: 'The password has at most 16 characters.' },
  PASSWORD_FORMAT: {
    ko: '대,소문자, 숫자, 특수문자 중 3개 이상 포함해야합니다.',
    en: 'The password needs a letter, a digit and a special character.',
  },
  PASSWORD_MISMATCH: { ko: '비밀번호가 일치하지 않습니다.', en: 'The passwords do not match.' },
  ALIAS_TOO_SHORT: { ko: '닉네임은 2글자 이상입니다.', en: 'The nickname needs at least 2 characters.' },
  ALIAS_TOO_LONG: { ko: '닉네임은 최대 10글자입니다.', en: 'The nickname has at most 10 characters.' },
  ALIAS_FORMAT: {
    ko: '특수문자가 포함되면 안되고 숫자로 시작하면 안됩니다.',
    en: 'No special characters, and the nickname may not start with a digit.',
  },
  ALIAS_TAKEN: { ko: '이미 등록된 닉네임 입니다.', en: 'This nickname is already registered.' },
  EMAIL_FORMAT: { ko: '올바른 이메일 형식이 아닙니다.', en: 'This is not a valid e-mail address.' },
  EMAIL_TAKEN: { ko: '이미 등록된 이메일 입니다.', en: 'This e-mail address is already registered.' },
  USER_ALREADY_EXISTS: { ko: '이미 가입된 사용자입니다.', en: 'This user is already registered.' },
  INVALID_CASE: {
    ko: 'case는 username, alias, email 중 하나여야 합니다.',
    en: 'case must be one of username, alias, email.',
  },
  LOGIN_FAILED: { ko: '아이디 혹은 비밀번호를 확인해주세요.', en: 'Check your username and password.' },
  NOT_REFRESH_TOKEN: { ko: 'refresh 토큰이 아닙니다.', en: 'This is not a refresh token.' },
  USER_MISMATCH: { ko: '다른 사용자의 정보에는 접근할 수 없습니다.', en: 'You may only access your own data.' },
  FILE_REQUIRED: { ko: '사진 파일(filename)을 첨부해주세요.', en: 'Attach the photo in the "filename" field.' },
  TASK_NOT_FOUND: { ko: '분석 작업을 찾을 수 없습니다.', en: 'No such analysis task.' },
  TOO_MANY_PENDING_TASKS: {
    ko: '처리 중인 분석이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    en: 'Too many analyses are still in progress. Please try again shortly.',
  },
  PICTURE_NOT_FOUND: { ko: '사진을 찾을 수 없습니다.', en: 'No such picture.' },
  ANIMAL_NOT_FOUND: { ko: '그런 띠는 없습니다.', en: 'No such zodiac animal.' },
  NO_FACE_DETECTED: {
    ko: '사진에서 얼굴을 찾지 못했습니다. 얼굴이 잘 보이는 정면 사진을 올려주세요.',
    en: 'No face was found. Upload a photo showing a face from the front.',
  },
  ANALYSIS_FAILED: { ko: '분석 중 오류가 발생했습니다. 다시 시도해주세요.', en: 'The analysis failed. Please try again.' },
  INVALID_DATE: { ko: '날짜는 YYYY-MM-DD 형식의 올바른 날짜여야 합니다.', en: 'Dates must be real dates as YYYY-MM-DD.' },
  INVALID_PERIOD: { ko: '시작 날짜가 끝 날짜보다 늦습니다.', en: 'The start date is after the end date.' },
  INVALID_PAGE: { ko: '페이지 번호는 1 이상의 정수여야 합니다.', en: 'The page number must be a positive integer.' },
};
