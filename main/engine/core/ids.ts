import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32, as ULID

let lastTime = 0;
let lastRandom: number[] = [];

/**
 * A ULID: 26 characters, sortable by creation time, unique across restarts and machines.
 * Alert ids are ULIDs so the clientOrderIds derived from them never repeat, even after a
 * reinstall with a fresh journal.
 */
export function ulid(now = Date.now()): string {
  let random: number[];
  if (now <= lastTime && lastRandom.length === 16) {
    // Same millisecond: increment the random part so ids stay strictly increasing.
    random = lastRandom.slice();
    for (let i = 15; i >= 0; i--) {
      if ((random[i] as number) < 31) {
        random[i] = (random[i] as number) + 1;
        break;
      }
      random[i] = 0;
    }
    now = lastTime;
  } else {
    const bytes = randomBytes(16);
    random = Array.from(bytes, (b) => b & 31);
  }
  lastTime = now;
  lastRandom = random;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((r) => ALPHABET[r]).join('');
}
