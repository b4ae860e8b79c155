// The CommonJS packages Crimson uses, loaded with require(). On Node 20, importing a CommonJS package
// from ESM sends its whole require() tree through the ESM loader (exports lexed file by file), which
// about doubles its load time; startup is measured (bench W6). Packages only some configurations need
// (auth, JSONata, uploads, crontab, version ranges) are functions that load them on first use.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
const lazy = <T>(id: string) => (): T => load(id) as T;

export const express = load('express') as typeof import('express');
/** require() as Express resolves it: the helpers it depends on (parseurl, finalhandler, body-parser …), the versions it installed. */
export const fromExpress = createRequire(load.resolve('express'));
export const cors = load('cors') as typeof import('cors');
export const cookieParser = load('cookie-parser') as typeof import('cookie-parser');
export const rfdc = load('rfdc') as typeof import('rfdc');

/** The websocket library: the /comms server is made on the first editor connection. */
export const ws = lazy<typeof import('ws').default & typeof import('ws')>('ws');
export const jsonata = lazy<typeof import('jsonata')>('jsonata');
export const bcrypt = lazy<typeof import('bcryptjs')>('bcryptjs');
export const multer = lazy<typeof import('multer')>('multer');
export const oauth2orize = lazy<typeof import('oauth2orize')>('oauth2orize');
export const passport = lazy<typeof import('passport')>('passport');
export const passportBearer = lazy<typeof import('passport-http-bearer')>('passport-http-bearer');
export const cronosjs = lazy<typeof import('cronosjs')>('cronosjs');
/** The editor page's template engine: rendered on the first GET of the editor. */
export const mustache = lazy<typeof import('mustache').default>('mustache');
/** Version ranges of node packages and of palette allow/deny rules (a userDir without packages needs none). */
export const semver = lazy<typeof import('semver')>('semver');
