// The web manifest in the app's language: the page links manifest.webmanifest (zh-CN) or
// manifest.en.webmanifest, the same app (same id and start_url) with English names, so the icon
// added to the home screen is labelled in the language the person reads (decision 030).
import { createEffect, createRoot } from 'solid-js';
import { lang } from '../i18n/index.ts';

export function followLanguageInManifest(): void {
  createRoot(() =>
    createEffect(() => {
      const en = lang() === 'en';
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      if (link) link.href = en ? '/manifest.en.webmanifest' : '/manifest.webmanifest';
      const title = document.querySelector<HTMLMetaElement>('meta[name="apple-mobile-web-app-title"]');
      if (title) title.content = en ? 'StillHere' : '在这儿';
    }),
  );
}
