// Built-in templates shipped with the app, drawn from Twemoji (graphics CC-BY 4.0, credited in
// every API answer about them). Codepoints in docs/apps/igemoji.md §6.2 order: neutral, angry, disgust, fear,
// happy, sad, surprise.
export const TWEMOJI_CREDIT = 'Twemoji by Twitter, Inc. and contributors, CC-BY 4.0 (https://github.com/jdecked/twemoji)';
export const BUILTIN_ALIAS = 'Twemoji';

export interface BuiltinSet {
  key: string;
  name: string;
  codepoints: [string, string, string, string, string, string, string];
}

export const BUILTIN_SETS: BuiltinSet[] = [
  // 😐 😠 🤢 😨 😄 😢 😲
  { key: 'classic', name: '기본 얼굴', codepoints: ['1f610', '1f620', '1f922', '1f628', '1f604', '1f622', '1f632'] },
  // 🐱 😾 😼 🙀 😸 😿 😺
  { key: 'cats', name: '고양이', codepoints: ['1f431', '1f63e', '1f63c', '1f640', '1f638', '1f63f', '1f63a'] },
  // 🙂 🤬 🤮 😱 😁 😭 😮
  { key: 'dramatic', name: '과장된 얼굴', codepoints: ['1f642', '1f92c', '1f92e', '1f631', '1f601', '1f62d', '1f62e'] },
];
