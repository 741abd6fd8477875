// The attestation photo: one frame of the camera preview as a JPEG of at most 20 KB (the sync
// limit for pictures), shrinking quality and then size until it fits.
import { SYNC_LIMITS } from '../../shared/sync.ts';

const SIDES = [480, 400, 320, 256];
const QUALITIES = [0.85, 0.7, 0.55, 0.4, 0.3];

export async function snapshotJpeg(video: HTMLVideoElement, maxBytes = SYNC_LIMITS.maxFrameBytes): Promise<Uint8Array> {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h) throw new Error('the camera has no picture yet');
  const canvas = document.createElement('canvas');
  for (const side of SIDES) {
    const scale = Math.min(1, side / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
    for (const q of QUALITIES) {
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', q));
      if (blob && blob.size <= maxBytes) return new Uint8Array(await blob.arrayBuffer());
    }
  }
  throw new Error('the photo does not fit in 20 KB');
}
