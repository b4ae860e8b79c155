// RED.util: the utility functions Node-RED gives node modules (implemented in src/runtime/util/).
import { cloneMessage } from '../runtime/util/clone.js';
import { compareObjects, ensureBuffer, ensureString } from '../runtime/util/compare.js';
import { encodeObject } from '../runtime/util/encode.js';
import { generateId } from '../runtime/util/id.js';
import { evaluateNodeProperty, parseContextStore } from '../runtime/util/typed-value.js';
import { evaluateJSONataExpression, prepareJSONataExpression } from '../runtime/util/jsonata.js';
import {
  getMessageProperty, getObjectProperty, normalisePropertyExpression, setMessageProperty, setObjectProperty,
} from '../runtime/util/properties.js';

export const redUtil: Record<string, Function> = {
  cloneMessage, compareObjects, encodeObject, ensureBuffer, ensureString,
  evaluateJSONataExpression, evaluateNodeProperty, generateId,
  getMessageProperty, setMessageProperty, getObjectProperty, setObjectProperty,
  normaliseNodeTypeName, normalisePropertyExpression, parseContextStore, prepareJSONataExpression,
};

/** `http request` -> `httpRequest`: the prefix node settings must start with. */
export function normaliseNodeTypeName(name: string): string {
  const result = name.replace(/[^a-zA-Z0-9]/g, ' ').trim().replace(/ +/g, ' ')
    .replace(/ ./g, (s) => s.charAt(1).toUpperCase());
  return result.charAt(0).toLowerCase() + result.slice(1);
}
