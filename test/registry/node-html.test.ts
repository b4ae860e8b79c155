// Cutting node definition HTML: keeping only registered types' blocks, and cutting out inline help.
import { describe, expect, it } from 'vitest';
import { cutHelp, onlyTypes } from '../../src/registry/node-html.js';

const file = [
  '<!-- licence <script type="text/html" data-template-name="b">commented out</script> -->',
  '<script type="text/html" data-template-name="a"><input id="node-input-name"></script>',
  '<script type="text/javascript">',
  "  RED.nodes.registerType('a', { category: 'function' });",
  '</script>',
  "<script type='text/html' data-template-name='b'><p>b</p></script>",
  '<script type="text/javascript">RED.nodes.registerType("b", {});</script>',
  '<script src="shared/helper.js"></script>',
  '<script type="text/javascript">function shared() { return "<b>"; }</script>',
  '<script type="text/javascript">RED.nodes.registerType(`a`, {}); RED.nodes.registerType(\'b\', {});</script>',
  '<script type="text/html" data-help-name="a"><p>help a</p></script>',
  '<script type="text/html" data-help-name="b"><p>help b</p></script>',
  '<SCRIPT type="text/html" data-help-name="a" data-lang="de"><p>Hilfe a</p></SCRIPT >',
  '<p>tail</p>',
].join('\n');

describe('onlyTypes', () => {
  it('gives the text back unchanged when every named type is registered', () => {
    expect(onlyTypes(file, new Set(['a', 'b']))).toBe(file);
    expect(onlyTypes(file, new Set(['a', 'b', 'c']))).toBe(file);
  });

  it("drops the template, code and help of a type the set did not register, and nothing else", () => {
    const out = onlyTypes(file, new Set(['a']));
    expect(out).not.toContain('data-template-name=\'b\'');
    expect(out).not.toContain('registerType("b"');
    expect(out).not.toContain('help b');
    // blocks naming no type, or a registered one, stay whole (a script is never cut inside)
    expect(out).toContain('<script src="shared/helper.js"></script>');
    expect(out).toContain('function shared()');
    expect(out).toContain("RED.nodes.registerType(`a`, {}); RED.nodes.registerType('b', {});");
    expect(out).toContain('help a');
    expect(out).toContain('Hilfe a');
    // text between blocks and blocks inside HTML comments are text
    expect(out).toContain('commented out');
    expect(out.endsWith('<p>tail</p>')).toBe(true);
  });

  it('drops everything typed when no type is registered', () => {
    const out = onlyTypes(file, new Set());
    expect(out).not.toMatch(/data-template-name="a"|help a|registerType\('a'/);
    expect(out).toContain('shared/helper.js');
  });
});

describe('cutHelp', () => {
  it('cuts help blocks out, leaving the text around them, grouped by data-lang', () => {
    const { main, help } = cutHelp(file);
    expect(main).not.toContain('data-help-name');
    expect(main).toContain("RED.nodes.registerType('a'");
    expect(main.endsWith('\n\n\n\n<p>tail</p>')).toBe(true);
    expect([...help.keys()]).toEqual(['en-US', 'de']);
    expect(help.get('en-US')).toBe('<script type="text/html" data-help-name="a"><p>help a</p></script><script type="text/html" data-help-name="b"><p>help b</p></script>');
    expect(help.get('de')).toBe('<SCRIPT type="text/html" data-help-name="a" data-lang="de"><p>Hilfe a</p></SCRIPT >');
  });

  it('leaves a file without help as it is', () => {
    const html = '<script type="text/html" data-template-name="x"></script>\n';
    expect(cutHelp(html)).toEqual({ main: html, help: new Map() });
  });
});
