// The part of settings.editorTheme that GET /settings passes to the editor as `editorTheme` (besides
// `languages`); page/header/login and the editors' settings are not part of it (COMPAT A4.1, B3).
// Files it names (the deploy button icon) are given by the url the editor's theme serves them at.
import { themeFileUrl } from '../editor/theme.js';

type Obj = Record<string, any>;

export function themeSettings(theme: Obj): Obj {
  const out: Obj = {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(theme, k);
  if (theme.deployButton) {
    const button: Obj = {};
    if (theme.deployButton.label) button.label = theme.deployButton.label;
    if (theme.deployButton.type == 'simple') {
      button.type = theme.deployButton.type;
      // the icon is a file the editor's theme serves (src/editor/theme.ts); the editor gets its url
      const icon = theme.deployButton.icon ? themeFileUrl('/deploy/', theme.deployButton.icon) : null;
      if (icon) button.icon = icon;
    }
    out.deployButton = button;
  }
  if (has('userMenu')) out.userMenu = theme.userMenu;
  if (has('menu')) out.menu = theme.menu;
  if (has('palette')) {
    const palette = theme.palette;
    out.palette = palette && typeof palette === 'object' && Array.isArray(palette.categories)
      ? { ...palette, categories: { order: palette.categories } }
      : palette;
  }
  if (has('projects')) out.projects = theme.projects;
  if (has('multiplayer')) out.multiplayer = theme.multiplayer;
  if (has('keymap')) out.keymap = theme.keymap;
  if (theme.theme) out.theme = theme.theme;
  if (has('tours')) out.tours = theme.tours;
  // (quirk) Node-RED copies editorTheme.help over `tours`
  if (has('help')) out.tours = theme.help;
  return out;
}
