import type { Catalogue } from '../../core/i18n/messages.js';

// Korean wording follows the original's DRF/simplejwt messages where one existed (docs/apps/machines.md §8).
export const machineMessages: Catalogue = {
  MACHINE_INVALID_CREDENTIALS: {
    ko: '지정된 자격 증명에 해당하는 활성화된 사용자를 찾을 수 없습니다',
    en: 'No active account found with the given credentials',
  },
  MACHINE_NOT_FOUND: { ko: '찾을 수 없습니다.', en: 'Not found.' },
  MACHINE_FORBIDDEN: {
    ko: '이 작업을 수행할 권한(permission)이 없습니다.',
    en: 'You do not have permission to perform this action.',
  },
  MACHINE_NOT_AUTHENTICATED: {
    ko: '자격 인증데이터(authentication credentials)가 제공되지 않았습니다.',
    en: 'Authentication credentials were not provided.',
  },
  MACHINE_USERNAME_TAKEN: { ko: 'accounts의 username은/는 이미 존재합니다.', en: 'accounts with this username already exists.' },
  MACHINE_EMAIL_TAKEN: { ko: 'accounts의 email은/는 이미 존재합니다.', en: 'accounts with this email already exists.' },
  MACHINE_INVALID_EMAIL: { ko: '유효한 이메일 주소를 입력하십시오.', en: 'Enter a valid email address.' },
  MACHINE_INVALID_URL: { ko: '유효한 URL을 입력하십시오.', en: 'Enter a valid URL.' },
  MACHINE_INVALID_DATETIME: {
    ko: '날짜·시각 형식이 잘못되었습니다. ISO 8601 형식(예: 2024-10-14T09:00:00+09:00)을 사용하십시오.',
    en: 'Datetime has wrong format. Use ISO 8601.',
  },
  UNKNOWN_COMMAND: { ko: '알 수 없는 명령입니다. START 또는 STOP만 가능합니다.', en: 'Unknown command: use START or STOP.' },
  INVALID_STATE: {
    ko: '현재 기계 상태에서는 이 명령을 실행할 수 없습니다.',
    en: 'The command is not allowed in the machine’s current status.',
  },
  RUN_IN_PROGRESS: {
    ko: '이 기계에서 이미 진행 중인 작업이 있습니다.',
    en: 'A run is already in progress on this machine.',
  },
  LOGOUT_SUCCESS: { ko: 'logout success', en: 'logout success' },
  OPERATION_ACCEPTED: { ko: 'Operation Accepted', en: 'Operation Accepted' },
  MACHINE_DELETED: { ko: 'machine deleted', en: 'machine deleted' },
  // shop floor (docs/apps/machines.md §10)
  MACHINE_HOST_NOT_ALLOWED: {
    ko: '허용되지 않은 호스트입니다 (MACHINE_CONNECT_ALLOWLIST).',
    en: 'This host is not allowed (MACHINE_CONNECT_ALLOWLIST).',
  },
  MACHINE_RANGE_TOO_LONG: { ko: '조회 기간이 너무 깁니다 (최대 92일).', en: 'The range is too long (at most 92 days).' },
  MACHINE_RANGE_EMPTY: { ko: '시작 시각은 종료 시각보다 앞이어야 합니다.', en: 'from must be before to.' },
  MACHINE_RULE_INVALID: {
    ko: '경보 규칙이 올바르지 않습니다: 지표와 최소/최대값, 지속 시간을 확인하십시오.',
    en: 'Invalid alarm rule: check metric, min/max and duration.',
  },
  ALARM_NOT_FOUND: { ko: '경보를 찾을 수 없습니다.', en: 'Alarm not found.' },
  RULE_NOT_FOUND: { ko: '경보 규칙을 찾을 수 없습니다.', en: 'Alarm rule not found.' },
  TOO_MANY_RULES: { ko: '기계당 경보 규칙은 최대 50개입니다.', en: 'At most 50 alarm rules per machine.' },
};
