import type { Catalogue } from '../../core/i18n/messages.js';
import { visionMessages } from '../../core/vision/image-intake.js';

// Korean wording follows the original front end where it had one (docs/apps/igemoji.md §5).
export const igemojiMessages: Catalogue = {
  LOGGED_OUT: { ko: '로그아웃되었습니다.', en: 'You have been logged out.' },
  TEMPLATE_RATE_LIMITED: { ko: '이모지 템플릿을 너무 많이 만들었습니다. 잠시 후 다시 시도해 주세요.', en: 'Too many new emoji templates. Please try again later.' },
  TEMPLATE_QUOTA_EXCEEDED: { ko: '만들 수 있는 이모지 템플릿 수를 넘었습니다. 안 쓰는 템플릿을 지워 주세요.', en: 'You have reached the number of emoji templates you may keep. Delete one you no longer use.' },
  ...visionMessages,
  INVALID_CASE: { ko: 'case는 email 또는 alias 여야 합니다.', en: 'case must be email or alias.' },
  USER_ALREADY_EXISTS: { ko: '이미 가입된 사용자입니다.', en: 'This user is already registered.' },
  EMAIL_TAKEN: { ko: '사용 중인 이메일 입니다.', en: 'This email is already in use.' },
  ALIAS_TAKEN: { ko: '사용 중인 닉네임 입니다.', en: 'This nickname is already in use.' },
  INVALID_EMAIL: { ko: '올바른 이메일 형식이 아닙니다.', en: 'The email address is not valid.' },
  INVALID_PASSWORD: {
    ko: '숫자+영문자+특수문자 조합으로 8자리 이상 입력해주세요!',
    en: 'Use 8 to 25 characters with a letter, a digit and one of !@#$%^*+=-.',
  },
  PASSWORD_MISMATCH: { ko: '비밀번호가 일치하지 않습니다.', en: 'The passwords do not match.' },
  INVALID_ALIAS: { ko: '올바른 이름을 입력해주세요.', en: 'Use Hangul, letters and digits only (at most 20).' },
  USER_NOT_EXIST: { ko: '아이디와 비밀번호를 다시 확인해주세요.', en: 'Check your email and password.' },
  USER_MISMATCH: { ko: '토큰의 사용자와 요청한 사용자가 다릅니다.', en: 'The user_id does not match the token.' },
  TEMPLATE_NOT_FOUND: { ko: '이모지를 찾을 수 없습니다.', en: 'The emoji template was not found.' },
  TEMPLATE_IMAGES_REQUIRED: { ko: '모든 사진을 등록해주세요!', en: 'All 7 pictures are required.' },
  NOT_TEMPLATE_OWNER: { ko: '내가 만든 이모지만 삭제할 수 있습니다.', en: 'Only the creator can delete this template.' },
  IMAGE_REQUIRED: { ko: '사진을 등록하세요!', en: 'Attach a photo.' },
  TASK_NOT_FOUND: { ko: '작업을 찾을 수 없습니다.', en: 'The task was not found.' },
  TOO_MANY_PENDING_TASKS: {
    ko: '처리 중인 분석이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    en: 'Too many analyses are still in progress. Please try again shortly.',
  },
  RESULT_NOT_READY: { ko: '아직 합성이 끝나지 않았어요.', en: 'The composite is not finished yet.' },
  FACE_NOT_FOUND: { ko: '그런 번호의 얼굴이 없어요.', en: 'There is no face with that number in this result.' },
  RESULT_CHANGED: { ko: '다른 곳에서 먼저 바뀌었어요. 다시 불러온 뒤 시도해 주세요.', en: 'The result was changed meanwhile; reload and try again.' },
  RESULT_NOT_FOUND: { ko: '결과 이미지를 찾을 수 없습니다.', en: 'The result image was not found.' },
  NO_FACE: {
    ko: '사진에서 얼굴을 찾지 못했어요. 얼굴이 잘 보이는 사진으로 다시 시도해 주세요.',
    en: 'No face was found in the photo. Try a photo where faces are clearly visible.',
  },
  BAD_IMAGE: { ko: '사진을 읽을 수 없어요. 다른 사진으로 다시 시도해 주세요.', en: 'The photo could not be read. Try another one.' },
  AI_ERROR: {
    ko: '표정 분석 중 오류가 발생했어요. 잠시 후 다시 시도해 주세요.',
    en: 'Expression analysis failed. Please try again later.',
  },
};
