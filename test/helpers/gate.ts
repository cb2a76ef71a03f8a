/**
 * A promise the test opens by hand. Slow commands and slow loads wait on one instead of a
 * sleep, so "the answer came before the work finished" is a fact about order, which a
 * loaded machine cannot change, rather than a window of elapsed milliseconds.
 */
export interface Gate {
  wait: Promise<void>;
  open: () => void;
  opened: () => boolean;
}

export function gate(): Gate {
  let open!: () => void;
  let opened = false;
  const wait = new Promise<void>((resolve) => (open = resolve)).then(() => {
    opened = true;
  });
  return { wait, open, opened: () => opened };
}
