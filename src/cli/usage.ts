// The text `crimson --help` prints: the same flags as node-red, in Crimson's own words.
export function usage(version: string): string {
  return [
    `Crimson v${version} - a Node-RED compatible flow runtime`,
    '',
    'Usage: crimson [options] [flows.json]',
    '',
    'Options:',
    '  -p, --port PORT        listen on PORT (0 picks a free port); overrides uiPort',
    '  -u, --userDir DIR      keep settings, flows and installed nodes in DIR (default ~/.crimson)',
    '  -s, --settings FILE    read settings from FILE instead of DIR/settings.js',
    '  -D, --define KEY=VALUE set a setting (dotted KEY, JSON or text VALUE); repeatable',
    '  -D @FILE.json          set every setting found in a JSON file',
    '      --title TITLE      name the process TITLE (default crimson)',
    '      --safe             start with the flows stopped (safe mode)',
    '  -v, --verbose          log more detail, including error stacks',
    '      --no-telemetry     turn off update checks and usage reporting',
    '      --version          print the Crimson and Node.js versions',
    '  -?, -h, --help         print this help',
    '',
    'flows.json: the flows file; a relative name is looked up in the current directory,',
    'then in the user directory.',
    '',
  ].join('\n');
}
