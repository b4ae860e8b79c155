// The message this Node's JSON.parse gives for a text: tests expect it as the runtime words it (Node 22's V8
// adds "(line 1 column 2)" to what Node 20 says), as Node-RED running on the same Node would pass it on.
export function jsonParseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`not a JSON error: ${text}`);
}
