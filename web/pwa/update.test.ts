import { beforeEach, describe, expect, it, vi } from 'vitest';
import { applyUpdate, holdUpdates, offerUpdate, reloadWhenFree, resetUpdateStateForTests, updateReady, updateRequested, updatesHeld } from './update.ts';

beforeEach(() => resetUpdateStateForTests());

describe('app updates wait for holds', () => {
  it('offers nothing until a new version waits, and a tap then activates it', () => {
    const activate = vi.fn();
    applyUpdate();
    expect(updateReady()()).toBe(false);
    offerUpdate(activate);
    expect(updateReady()()).toBe(true);
    expect(activate).not.toHaveBeenCalled();
    applyUpdate();
    expect(activate).toHaveBeenCalledTimes(1);
  });

  it('does not activate while a check holds updates, and does once every hold is released', () => {
    const activate = vi.fn();
    offerUpdate(activate);
    const releaseCheck = holdUpdates('check');
    const releaseSave = holdUpdates('saving');
    applyUpdate();
    expect(updateRequested()()).toBe(true);
    expect(updatesHeld()()).toBe(true);
    expect(activate).not.toHaveBeenCalled();
    releaseCheck();
    expect(activate).not.toHaveBeenCalled();
    releaseSave();
    releaseSave(); // releasing twice is harmless
    expect(updatesHeld()()).toBe(false);
    expect(activate).toHaveBeenCalledTimes(1);
  });

  it('a hold does not trigger an update nobody asked for', () => {
    const activate = vi.fn();
    offerUpdate(activate);
    holdUpdates('check')();
    expect(activate).not.toHaveBeenCalled();
  });

  it('reloads into the new version only when nothing holds updates', () => {
    const reload = vi.fn();
    const release = holdUpdates('saving');
    reloadWhenFree(reload);
    expect(reload).not.toHaveBeenCalled();
    release();
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
