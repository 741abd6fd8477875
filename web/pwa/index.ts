// The PWA layer's public face for screens: the liveness assets on the phone, app updates, and
// adding the app to the home screen. (Started by web/pwa/sw-register.ts at app start.)
//
//   prepareLivenessAssets()   after sign-in and at app start: fetch wasm + model + voice clips once
//   livenessAssets()          their state, for <AssetProgress/> and for the check screen to wait on
//   holdUpdates(reason)       while a check runs or an attempt is written; returns the release
//   updateReady()/applyUpdate()  for <UpdateBanner/>
//   installOption()/promptInstall()  for <InstallHelp/>
export { livenessAssets, prepareLivenessAssets, type LivenessAssetsState } from './liveness-assets.ts';
export { applyUpdate, holdUpdates, updateReady, updateRequested, updatesHeld } from './update.ts';
export { installOption, promptInstall, type InstallOption } from './install.ts';
