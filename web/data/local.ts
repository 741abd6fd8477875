// Everything of the data layer that needs the phone database (Dexie), as one module that
// ./index.ts loads on first use: Dexie is the largest library of the app, and the first screen
// must not wait for it (docs/decisions/045). Nothing else outside web/data imports these.
export { appDb, getSetting, liveQuery, putSetting } from './db.ts';
export { attemptsOf, cachedChallengeCount, rosterOf, saveAttempt, syncSummary, takeChallenge } from './store.ts';
export { sendNow, startSync } from './sync.ts';
export { daySummary, recordsForRetiree, recordsSince, saveVisit, unsentCount, visitsOf } from './visits.ts';
export { linksOf, saveLinkDecision } from './links.ts';
export { saveVisitRequest, visitRequestState } from './visit-requests.ts';
export { consentOf, keepServerConsent, saveConsent } from './consents.ts';
export { keepStatus, keepYears, keptStatus, yearsKept } from './retiree-status.ts';
