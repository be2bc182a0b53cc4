/**
 * How long a letter run takes, for the confirm box ("about 10 minutes; keep the sidebar open").
 * The figure is the modelled wall time per letter printed by `npm run bench` (letters: 300 letters
 * in 615 s with the sidebar's 4 parallel senders, i.e. 2.05 s a letter; the one-at-a-time path was
 * 6.6 s); update it when the bench moves.
 */
export const MODELLED_SECONDS_PER_LETTER = 2.05;

/** A run's duration in words: 'under a minute', 'about 1 minute', 'about 34 minutes', 'about 1 hour 5 minutes'. */
export function runDurationWords(letters: number, secondsPerLetter = MODELLED_SECONDS_PER_LETTER): string {
  const seconds = Math.max(0, letters) * secondsPerLetter;
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `about ${h} hour${h === 1 ? '' : 's'}${m ? ` ${m} minute${m === 1 ? '' : 's'}` : ''}`;
}
