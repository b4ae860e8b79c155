// Change node configuration: the rule list as Node-RED reads it — legacy single-rule configs
// (action/property/from/to/reg) migrated, missing types defaulted (COMPAT D2).

/** One rule after migration; `to`/`from` keep whatever the flow file holds (usually strings). */
export interface RuleConfig {
  t: string;
  p: any;
  pt: string;
  to?: any;
  tot: string;
  from?: any;
  fromt: string;
  dc?: boolean;
}

/** The rules of a change node config, migrated. Never mutates the config. */
export function migrateRules(config: Record<string, any>): RuleConfig[] {
  const source: any[] = Array.isArray(config.rules) ? config.rules : config.rules ? [] : [legacyRule(config)];
  return source.map(migrateRule);
}

function legacyRule(n: Record<string, any>): Record<string, any> {
  const rule: Record<string, any> = { t: n.action === 'replace' ? 'set' : n.action, p: n.property || '' };
  if (rule.t === 'set' || rule.t === 'move') {
    rule.to = n.to || '';
  } else if (rule.t === 'change') {
    rule.from = n.from || '';
    rule.to = n.to || '';
    rule.re = n.reg === null || n.reg;
  }
  return rule;
}

function migrateRule(original: Record<string, any>): RuleConfig {
  const rule: Record<string, any> = { ...original };
  if (!rule.pt) rule.pt = 'msg';
  if (rule.t === 'change' && rule.re) {
    rule.fromt = 're';
    delete rule.re;
  }
  // a set rule without a type whose text starts with `msg.` is a message reference (throws like
  // Node-RED when `to` is not a string: the node then fails to start)
  if (rule.t === 'set' && !rule.tot && rule.to.indexOf('msg.') === 0) {
    rule.to = rule.to.substring(4);
    rule.tot = 'msg';
  }
  if (!rule.tot) rule.tot = 'str';
  if (!rule.fromt) rule.fromt = 'str';
  return rule as RuleConfig;
}
