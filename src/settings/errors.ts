// The one error type of start-up configuration problems (settings file, -D, env, validation):
// main prints its message as a single line, and the cause's stack only when verbose.
export class SettingsError extends Error {
  constructor(
    message: string,
    /** The settings file concerned, when there is one. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SettingsError';
  }
}
