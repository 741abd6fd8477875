// Prompt ids the engine emits, with zh-CN and English text for screen and speech. Written for
// people of 60-90: one short instruction at a time, calm, never a countdown or a scolding, and
// concrete ("move the phone a little closer", not "face too small").
import type { ActionId, QualityState, ReasonCode, Verdict } from '../../shared/liveness.ts';
import type { FrontalHint } from './baseline.ts';

export type Lang = 'zh-CN' | 'en';

export type StepPromptId = `prompt.${ActionId | 'look_straight'}`;
export type RepromptId = `reprompt.${ActionId | 'look_straight'}`;
export type QualityPromptId = `quality.${Exclude<QualityState, 'ok'>}`;
/** "Look straight" guidance: which way to move to face the camera (issue 18 §2). */
export type FrontalPromptId = `frontal.${FrontalHint}`;
export type PromptId =
  | StepPromptId
  | RepromptId
  | QualityPromptId
  | FrontalPromptId
  | 'baseline.eyes_closed'
  | 'baseline.mouth_open'
  | 'step.done'
  | 'restart.face_lost'
  | `verdict.${Verdict}`
  | `advice.${ReasonCode}`;

type Text = Record<Lang, string>;

export const PROMPTS: Record<PromptId, Text> = {
  'prompt.look_straight': { 'zh-CN': '请看着屏幕，保持不动', en: 'Please look at the screen and keep still' },
  'prompt.blink': { 'zh-CN': '请慢慢眨两下眼睛', en: 'Please blink slowly, twice' },
  'prompt.turn_left': { 'zh-CN': '请慢慢把头转向您的左边', en: 'Please slowly turn your head to your left' },
  'prompt.turn_right': { 'zh-CN': '请慢慢把头转向您的右边', en: 'Please slowly turn your head to your right' },
  'prompt.look_up': { 'zh-CN': '请慢慢抬头，往上看', en: 'Please slowly lift your chin and look up' },
  'prompt.open_mouth': { 'zh-CN': '请张大嘴巴，保持一下', en: 'Please open your mouth wide and hold it a moment' },
  'prompt.read_digits': { 'zh-CN': '请大声读出这几个数字：{digits}', en: 'Please read these numbers out loud: {digits}' },

  'reprompt.look_straight': { 'zh-CN': '不着急。请正对屏幕，保持不动', en: 'Take your time. Face the screen and keep still' },
  'reprompt.blink': { 'zh-CN': '不着急。请慢慢眨两下眼睛', en: 'Take your time. Please blink slowly, twice' },
  'reprompt.turn_left': { 'zh-CN': '不着急。请把头慢慢转向左边，再转回来', en: 'Take your time. Turn your head slowly to your left, then back' },
  'reprompt.turn_right': { 'zh-CN': '不着急。请把头慢慢转向右边，再转回来', en: 'Take your time. Turn your head slowly to your right, then back' },
  'reprompt.look_up': { 'zh-CN': '不着急。请慢慢抬起下巴，往上看', en: 'Take your time. Slowly lift your chin and look up' },
  'reprompt.open_mouth': { 'zh-CN': '不着急。请把嘴张大一点，保持一下', en: 'Take your time. Open your mouth a little wider and hold it' },
  'reprompt.read_digits': { 'zh-CN': '不着急。请看着屏幕，大声读出数字：{digits}', en: 'Take your time. Look at the screen and read out: {digits}' },

  'quality.no_face': { 'zh-CN': '请把脸放在画面中间', en: 'Please bring your face into the picture' },
  'quality.multiple_faces': { 'zh-CN': '请让画面里只有一个人', en: 'Please make sure only one person is in the picture' },
  'quality.too_far': { 'zh-CN': '请把手机稍微靠近一点', en: 'Move the phone a little closer' },
  'quality.too_close': { 'zh-CN': '请把手机稍微拿远一点', en: 'Hold the phone a little further away' },
  'quality.off_centre': { 'zh-CN': '请把脸移到画面中间', en: 'Please move your face to the middle of the picture' },
  'quality.too_dark': { 'zh-CN': '光线有点暗，请到亮一点的地方', en: 'It is a little dark. Please move somewhere brighter' },
  'quality.too_bright': { 'zh-CN': '请不要背对窗户或灯光', en: 'Please do not sit with a window or lamp behind you' },
  'quality.face_covered': { 'zh-CN': '请露出整张脸，不要遮挡', en: 'Please show your whole face, with nothing covering it' },
  'quality.hold_still': { 'zh-CN': '请拿稳手机，保持不动', en: 'Please hold the phone steady and keep still' },

  // The person's own left and right, as in the turn prompts; spoken while the head is not yet frontal.
  'frontal.turn_left': { 'zh-CN': '请把头稍微转向您的左边，正对屏幕', en: 'Please turn your head a little to your left, to face the screen' },
  'frontal.turn_right': { 'zh-CN': '请把头稍微转向您的右边，正对屏幕', en: 'Please turn your head a little to your right, to face the screen' },
  'frontal.chin_up': { 'zh-CN': '请稍微抬一点头，正对屏幕', en: 'Please lift your chin a little, to face the screen' },
  'frontal.chin_down': { 'zh-CN': '请稍微低一点头，正对屏幕', en: 'Please lower your chin a little, to face the screen' },
  'frontal.straighten': { 'zh-CN': '请把头摆正，正对屏幕', en: 'Please hold your head straight, facing the screen' },

  'baseline.eyes_closed': { 'zh-CN': '请睁开眼睛，看着屏幕', en: 'Please open your eyes and look at the screen' },
  'baseline.mouth_open': { 'zh-CN': '请先闭上嘴，看着屏幕', en: 'Please close your mouth and look at the screen' },
  'step.done': { 'zh-CN': '很好', en: 'Well done' },
  'restart.face_lost': { 'zh-CN': '没看到您的脸，我们从头再来一次', en: 'We lost sight of your face. Let us start again' },

  'verdict.passed': { 'zh-CN': '认证动作完成，谢谢您', en: 'All done. Thank you' },
  'verdict.failed': { 'zh-CN': '这次没有完成，请稍后再试一次', en: 'This did not work this time. Please try again in a moment' },
  'verdict.timed_out': { 'zh-CN': '时间有点长了，我们休息一下再试', en: 'That took a while. Let us rest and try again' },
  'verdict.abandoned': { 'zh-CN': '已停止，您可以随时重新开始', en: 'Stopped. You can start again at any time' },

  'advice.user_cancelled': { 'zh-CN': '您已停止认证，可以随时重新开始', en: 'You stopped the check. You can start again at any time' },
  'advice.app_backgrounded': { 'zh-CN': '认证时请不要离开这个页面', en: 'Please stay on this page during the check' },
  'advice.camera_unavailable': { 'zh-CN': '无法打开相机，请允许使用相机后再试', en: 'The camera could not be opened. Please allow camera access and try again' },
  'advice.timeout_no_face': { 'zh-CN': '没有看到您的脸。请在明亮的地方，把手机放在脸的正前方', en: 'We could not see your face. Find a bright place and hold the phone in front of your face' },
  'advice.timeout_baseline': { 'zh-CN': '请坐稳，手机拿稳放在脸的正前方，看着屏幕', en: 'Sit comfortably, hold the phone steady in front of your face, and look at the screen' },
  'advice.timeout_action': { 'zh-CN': '可以请家人帮忙拿手机，再试一次', en: 'You may ask a family member to hold the phone, then try again' },
  'advice.multiple_faces': { 'zh-CN': '认证时画面里只能有您一个人', en: 'Only you should be in the picture during the check' },
  'advice.face_changed': { 'zh-CN': '认证过程中画面里的人换了，请由本人重新认证', en: 'The person in the picture changed. The retiree should do the check again' },
  'advice.engine_error': { 'zh-CN': '出了点问题，请关闭后重新打开再试', en: 'Something went wrong. Please close and reopen, then try again' },
  'advice.face_lost': { 'zh-CN': '请让脸一直留在画面里', en: 'Please keep your face in the picture' },
};

const ZH_DIGITS = '零一二三四五六七八九';

/** Digits spaced for reading and for speech ("三、七、二、九" reads as four separate digits). */
export function formatDigits(digits: string, lang: Lang, forSpeech = false): string {
  if (!forSpeech) return digits.split('').join(' ');
  if (lang === 'zh-CN') return digits.split('').map((d) => ZH_DIGITS[Number(d)] ?? d).join('、');
  return digits.split('').join(', ');
}

export function promptText(id: PromptId, lang: Lang, vars: { digits?: string } = {}, forSpeech = false): string {
  const text = PROMPTS[id][lang];
  return text.replace('{digits}', vars.digits ? formatDigits(vars.digits, lang, forSpeech) : '');
}

export const stepPromptId = (action: ActionId | 'look_straight'): StepPromptId => `prompt.${action}`;
export const repromptId = (action: ActionId | 'look_straight'): RepromptId => `reprompt.${action}`;
export const frontalPromptId = (hint: FrontalHint): FrontalPromptId => `frontal.${hint}`;
export const qualityPromptId = (state: QualityState): QualityPromptId | null => (state === 'ok' ? null : `quality.${state}`);
