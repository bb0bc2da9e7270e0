/**
 * The one clock. Plans and the index carry a date; tests and reproducible runs pin it with
 * IMPROVE_DATE=YYYY-MM-DD (or SOURCE_DATE_EPOCH) so identical runs give identical bytes.
 */
export interface Clock {
  today(): string;
}

export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  return {
    today() {
      const pinned = env.IMPROVE_DATE;
      if (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned)) return pinned;
      const epoch = env.SOURCE_DATE_EPOCH;
      const date = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
      return date.toISOString().slice(0, 10);
    },
  };
}

export function fixedClock(date: string): Clock {
  return { today: () => date };
}
