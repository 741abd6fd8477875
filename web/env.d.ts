/** True in dev and test builds, false in production builds (see vite.config.ts). */
declare const __TEST_BUILD__: boolean;
