import type { Catalogue } from '../../core/i18n/messages.js';

// The README's catalogue, verbatim in Korean (docs/apps/auth.md §6).
export const authMessages: Catalogue = {
  USER_ALREADY_EXISTS: { ko: '이미 가입된 사용자입니다.', en: 'This user is already registered.' },
  INVALID_CREDENTIALS: { ko: '아이디 또는 비밀번호가 올바르지 않습니다.', en: 'The username or password is incorrect.' },
  USERNAME_TAKEN: { ko: '이미 사용 중인 아이디입니다.', en: 'This username is already taken.' },
  NICKNAME_TAKEN: { ko: '이미 사용 중인 닉네임입니다.', en: 'This nickname is already taken.' },
  TOKEN_VALID: { ko: '유효한 토큰입니다.', en: 'The token is valid.' },
  LOGGED_OUT: { ko: '로그아웃되었습니다.', en: 'You have been logged out.' },
};
