// What the runtime tells people when the camera or the engine cannot start: a plain statement and
// what to do next, in zh-CN and English. The check screen shows `title` and `action` (and may
// speak them); ids are stable so the offline voice clips can cover them too.
import type { Lang } from '../prompts.ts';
import type { CameraErrorCode } from './camera.ts';

export type RuntimeMessageId = `camera.${CameraErrorCode}` | 'engine.load' | 'engine.unsupported' | 'microphone.unavailable';

interface Message {
  title: Record<Lang, string>;
  action: Record<Lang, string>;
}

export const RUNTIME_MESSAGES: Record<RuntimeMessageId, Message> = {
  'camera.permission_denied': {
    title: { 'zh-CN': '没有打开相机的权限', en: 'The app may not use the camera' },
    action: {
      'zh-CN': '请在手机的“设置”里，允许本应用使用相机，然后点“再试一次”。',
      en: 'In your phone’s Settings, allow this app to use the camera, then tap “Try again”.',
    },
  },
  'camera.no_camera': {
    title: { 'zh-CN': '没有找到相机', en: 'No camera was found' },
    action: {
      'zh-CN': '请换一部有相机的手机，或请家人、社区工作人员用他们的手机帮您认证。',
      en: 'Please use a phone with a camera, or ask a family member or community worker to help with their phone.',
    },
  },
  'camera.camera_busy': {
    title: { 'zh-CN': '相机正在被别的应用使用', en: 'Another app is using the camera' },
    action: {
      'zh-CN': '请关掉正在用相机的应用（比如视频通话），然后点“再试一次”。',
      en: 'Close the app that is using the camera (such as a video call), then tap “Try again”.',
    },
  },
  'camera.insecure_context': {
    title: { 'zh-CN': '这个网址不能使用相机', en: 'The camera cannot be used from this address' },
    action: {
      'zh-CN': '请从桌面上的应用图标打开，或使用以 https 开头的网址。',
      en: 'Open the app from its icon on your home screen, or use the address that starts with https.',
    },
  },
  'camera.unsupported': {
    title: { 'zh-CN': '这个浏览器不能使用相机', en: 'This browser cannot use the camera' },
    action: {
      'zh-CN': '请用手机自带的浏览器或最新版的浏览器打开本应用。',
      en: 'Please open the app in your phone’s own browser or an up-to-date browser.',
    },
  },
  'camera.unknown': {
    title: { 'zh-CN': '相机没有打开', en: 'The camera did not start' },
    action: {
      'zh-CN': '请关掉本应用再重新打开，然后点“再试一次”。',
      en: 'Close the app, open it again, then tap “Try again”.',
    },
  },
  'engine.load': {
    title: { 'zh-CN': '认证组件没有准备好', en: 'The check is not ready' },
    action: {
      'zh-CN': '请连上网络（Wi-Fi 或手机信号），重新打开本应用，再试一次。',
      en: 'Connect to the internet (Wi-Fi or mobile data), reopen the app, and try again.',
    },
  },
  'engine.unsupported': {
    title: { 'zh-CN': '这个浏览器版本太旧', en: 'This browser is too old for the check' },
    action: {
      'zh-CN': '请更新手机的浏览器，或请家人、社区工作人员用他们的手机帮您认证。',
      en: 'Please update the browser, or ask a family member or community worker to help with their phone.',
    },
  },
  'microphone.unavailable': {
    title: { 'zh-CN': '没有打开麦克风', en: 'The microphone is off' },
    action: {
      'zh-CN': '没关系，认证照样可以完成。请看着屏幕，大声读出数字。',
      en: 'That is fine, the check still works. Look at the screen and read the numbers out loud.',
    },
  },
};

export function runtimeMessage(id: RuntimeMessageId, lang: Lang): { title: string; action: string } {
  const m = RUNTIME_MESSAGES[id];
  return { title: m.title[lang], action: m.action[lang] };
}
