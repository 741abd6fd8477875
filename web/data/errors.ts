// The data layer's errors, in a module of their own: screens test for them with `instanceof`, and
// importing them must not pull the database (Dexie) into the first screen's code (decision 045).

/** A full phone: the attempt could not be saved at all. The UI must say so and what to do. */
export class StorageFullError extends Error {
  constructor() {
    super('The phone storage is full');
    this.name = 'StorageFullError';
  }
}

/** A blob the server would refuse (not a JPEG, too large, odd audio): caught before it is stored. */
export class BadEvidenceError extends Error {
  constructor(readonly problem: string) {
    super(`Evidence rejected on the phone: ${problem}`);
    this.name = 'BadEvidenceError';
  }
}

/** The phone has never had signal since sign-in, so it cannot seal a signature yet. */
export class NoSignatureKeyError extends Error {
  constructor() {
    super('No signature key on this phone yet');
    this.name = 'NoSignatureKeyError';
  }
}
