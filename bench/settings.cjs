// Settings given to both servers (`-s bench/settings.cjs`): a Node-RED style CommonJS module.
// Same shape as the reference harness (/work/shared/bench/settings.js) so figures stay comparable.
// `.cjs` because bench/package.json is "type": "module".

// twenty small objects seeded into global context as `todos` (read by W1)
const todos = [];
for (let i = 1; i <= 20; i++) {
    todos.push({
        id: i,
        title: 'Todo item number ' + i,
        done: i % 3 === 0,
        priority: i % 5,
        tags: ['bench', i % 2 ? 'odd' : 'even'],
        created: '2024-01-' + String(i).padStart(2, '0') + 'T09:00:00.000Z'
    });
}

module.exports = {
    uiPort: 1880, // -p overrides it
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    flowFilePretty: false,
    credentialSecret: 'bench-only-not-a-secret',
    httpAdminRoot: '/',
    httpNodeRoot: '/',
    apiMaxLength: '50mb', // the 10,000-node flow is about 3 MB of JSON
    diagnostics: { enabled: true, ui: false },
    runtimeState: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    editorTheme: { tours: false },
    functionExternalModules: false,
    functionTimeout: 0,
    functionGlobalContext: { todos },
    exportGlobalContextKeys: false,
    debugMaxLength: 1000
};
