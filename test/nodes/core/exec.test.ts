// exec: Node-RED's implementation run by Crimson with local commands (echo, sh -c, printf, sleep) — exec mode
// (one answer on the three outputs), spawn mode (streamed stdout/stderr, then the return code), failures,
// timeouts, msg.kill, binary output, the old return-code format, statuses, and a deploy killing what runs.
// Every expectation below was observed on Node-RED 4.1.15 running the same flows (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, debugNode, injectNode, props, useCoreHarness, withoutId, type NodeDef } from './harness.js';
import { until } from '../../comms/ws-client.js';

const h = useCoreHarness();

const exec = (id: string, extra: Record<string, unknown>): NodeDef => ({
  id, type: 'exec', z: TAB, name: id, command: 'echo', addpay: 'payload', append: '', useSpawn: 'false', timer: '', winHide: false, oldrc: false,
  wires: [[`${id}-out`], [`${id}-err`], [`${id}-rc`]], ...extra,
});
const outputs = (id: string) => [debugNode(`${id}-out`), debugNode(`${id}-err`), debugNode(`${id}-rc`)];
const PID = { text: expect.stringMatching(/^pid:\d+$/), fill: 'blue', shape: 'dot' };

describe('exec mode', () => {
  it('runs the command with the payload and the extra arguments: stdout, then the return code', async () => {
    await h.deploy([injectNode('in', ['ex']), exec('ex', { append: 'more' }), ...outputs('ex')]);
    await h.inject('in', props('hello world', { topic: 't' }, 'str'));
    const [rc] = await h.waitFor('ex-rc', 1);
    const [out] = await h.waitFor('ex-out', 1);
    expect(withoutId(out!)).toEqual({ payload: 'hello world more\n', topic: 't', rc: { code: 0 } });
    expect(withoutId(rc!)).toEqual({ payload: { code: 0 }, topic: 't' });
    expect(h.shown('ex-err')).toEqual([]);
    expect(h.statuses('ex')).toEqual([PID, {}]);
    expect(h.logs().filter((l) => l.includes('[exec:ex]'))).toEqual(['[debug] [exec:ex] echo hello world more']);
  });

  it('a failing command: stdout, stderr and the code with the error message; the status shows it', async () => {
    await h.deploy([injectNode('in', ['fail', 'old']), exec('fail', { command: 'sh -c "echo out; echo err >&2; exit 3"', addpay: '' }),
      exec('old', { command: 'sh -c "exit 2"', addpay: '', oldrc: true }), ...outputs('fail'), ...outputs('old')]);
    await h.inject('in', props('x', {}, 'str'));
    const rc = { code: 3, message: 'Command failed: sh -c "echo out; echo err >&2; exit 3"\nerr\n' };
    expect(withoutId((await h.waitFor('fail-out', 1))[0]!)).toEqual({ payload: 'out\n', rc });
    expect(withoutId((await h.waitFor('fail-err', 1))[0]!)).toEqual({ payload: 'err\n', rc });
    expect(withoutId((await h.waitFor('fail-rc', 1))[0]!)).toEqual({ payload: rc });
    expect(h.statuses('fail')).toEqual([PID, {}, { text: 'error:3', fill: 'red', shape: 'dot' }]);
    // the "old" return code setting does not change exec mode's error object
    expect((await h.waitFor('old-rc', 1))[0]!.payload).toEqual({ code: 2, message: 'Command failed: sh -c "exit 2"\n' });
    await h.waitForLog(/\[exec:fail\] error:Error: Command failed/);
  });

  it('a timeout kills the command: code null, signal SIGTERM, status "killed"', async () => {
    await h.deploy([injectNode('in', ['to']), exec('to', { command: 'sleep 5', addpay: '', timer: '0.2' }), ...outputs('to')]);
    await h.inject('in', []);
    const [rc] = await h.waitFor('to-rc', 1);
    expect(withoutId(rc!)).toEqual({ payload: { code: null, message: 'Command failed: sleep 5\n', signal: 'SIGTERM' } });
    expect(h.statuses('to')).toEqual([PID, {}, { text: 'killed', fill: 'red', shape: 'dot' }]);
  });
});

describe('spawn mode', () => {
  it('streams stdout and stderr as they come, then the return code', async () => {
    await h.deploy([injectNode('in', ['sp']), exec('sp', { command: 'sh -c', addpay: '', append: '"echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three"', useSpawn: 'true' }), ...outputs('sp')]);
    await h.inject('in', props('x', {}, 'str'));
    const [rc] = await h.waitFor('sp-rc', 1);
    expect(withoutId(rc!)).toEqual({ payload: { code: 0 } });
    expect(h.shown('sp-out').map(withoutId)).toEqual([{ payload: 'one\n' }, { payload: 'three\n' }]);
    expect(h.shown('sp-err').map(withoutId)).toEqual([{ payload: 'two\n' }]);
    expect(h.statuses('sp')).toEqual([PID, {}, { text: 'rc:0', fill: 'yellow', shape: 'dot' }]);
    expect(h.logs().filter((l) => l.includes('[exec:sp]'))).toEqual(['[debug] [exec:sp] sh [-c,echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three]']);
  });

  it('a non-zero code, the old plain return code, binary output, an unknown command', async () => {
    await h.deploy([injectNode('in', ['code', 'old', 'bin', 'nope']),
      exec('code', { command: 'sh', addpay: '', append: '-c "exit 4"', useSpawn: 'true' }),
      exec('old', { command: 'sh', addpay: '', append: '-c "exit 4"', useSpawn: 'true', oldrc: true }),
      exec('bin', { command: 'printf', addpay: '', append: "'\\001\\377'", useSpawn: 'true' }),
      exec('nope', { command: 'definitely-not-a-command-xyz', addpay: '', useSpawn: 'true' }),
      ...outputs('code'), ...outputs('old'), ...outputs('bin'), ...outputs('nope')]);
    await h.inject('in', []);
    expect((await h.waitFor('code-rc', 1))[0]!.payload).toEqual({ code: 4 });
    expect((await h.waitFor('old-rc', 1))[0]!.payload).toBe(4);
    await h.waitFor('bin-rc', 1);
    // not UTF-8: a Buffer (the quotes are passed on as they are in spawn mode)
    expect(h.shown('bin-out').map((m) => m.payload)).toEqual([Buffer.from([0x27, 0x01, 0xff, 0x27])]);
    expect((await h.waitFor('nope-rc', 1))[0]!.payload).toEqual({ code: -2 });
    expect(h.shown('nope-out')).toEqual([]);
    await h.waitForStatus('nope', (s) => s.text === 'rc:-2');
    expect(h.statuses('nope')).toEqual([{ text: 'pid:undefined', fill: 'blue', shape: 'dot' }, { text: 'rc:-2', fill: 'red', shape: 'dot' }]);
    expect(h.statuses('code')).toEqual([PID, { text: 'rc:4', fill: 'yellow', shape: 'dot' }]);
  });

  it('msg.kill stops the running command; a deploy kills what still runs', async () => {
    await h.deploy([injectNode('in', ['sp']), exec('sp', { command: 'sleep', addpay: '', append: '5', useSpawn: 'true' }), ...outputs('sp')]);
    await h.inject('in', []);
    await h.waitForStatus('sp', (s) => /^pid:/.test(s.text ?? ''));
    await h.inject('in', [{ p: 'kill', v: 'SIGINT', vt: 'str' }]);
    const [rc] = await h.waitFor('sp-rc', 1);
    expect(withoutId(rc!)).toEqual({ payload: { code: null, signal: 'SIGINT' } });
    expect(h.statuses('sp')).toEqual([PID, { text: 'killed', fill: 'red', shape: 'dot' }, { text: 'killed', fill: 'red', shape: 'dot' }]);
    // a command still running when the flows are redeployed is killed
    await h.inject('in', []);
    const pids = () => h.statuses('sp').map((s) => /^pid:(\d+)$/.exec(s.text ?? '')?.[1]).filter((p) => p !== undefined).map(Number);
    await until(() => pids().length === 2, 3000, 'the second command');
    const running = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    expect(running(pids()[1]!)).toBe(true);
    const pid = pids()[1]!;
    await h.deploy([]);
    await until(() => !running(pid), 3000, 'the command to end');
  });
});
