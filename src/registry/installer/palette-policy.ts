// What externalModules.palette allows the installer to do: install at all, upload tarballs, install which
// modules (the allowList / denyList the loader also applies, read by loader/module-list) and update which
// (allowUpdate, allowUpdateList / denyUpdateList), decided as Node-RED 4.1.15 decides.
import type { Settings } from '../../settings/types.js';
import { isModuleAllowed, moduleLists, paletteLists } from '../loader/module-list.js';

export interface PalettePolicy {
  allowInstall: boolean;
  allowUpload: boolean;
  /** `externalModules.palette.upload: false` (an old spelling Node-RED's API still refuses uploads for). */
  uploadRefused: boolean;
  /** False when a deny list is in force: each install must then be checked (with its version). */
  installAllAllowed: boolean;
  /** Whether that module (at that version, when known) may be installed. */
  installAllowed(module: string, version?: string): boolean;
  /** Whether an installed module may be replaced by another version. */
  updateAllowed(module: string): boolean;
}

type Palette = { allowInstall?: unknown; allowUpload?: unknown; upload?: unknown; allowUpdate?: unknown; allowUpdateList?: unknown; denyUpdateList?: unknown };

export function palettePolicy(settings: Settings): PalettePolicy {
  const ext = settings.externalModules as { palette?: Palette } | undefined;
  const p: Palette = ext?.palette && typeof ext.palette === 'object' ? ext.palette : {};
  const { allow, deny } = paletteLists(settings);
  // as for installs: either update list given, both are taken from the settings (a missing one then means ['*'])
  const { allow: updateAllow, deny: updateDeny } = moduleLists(p, 'allowUpdateList', 'denyUpdateList');
  const allowUpdate = 'allowUpdate' in p ? !!p.allowUpdate : true;
  const updateAllAllowed = allowUpdate && updateDeny.length === 0;
  const theme = settings.editorTheme?.palette as { editable?: unknown } | undefined;
  return {
    // the deprecated editorTheme.palette.editable:false turns the installer off too
    allowInstall: p.allowInstall !== false && theme?.editable !== false,
    allowUpload: p.allowUpload !== false,
    uploadRefused: p.upload === false,
    installAllAllowed: deny.length === 0,
    installAllowed: (module, version) => deny.length === 0 || isModuleAllowed(module, version, allow, deny),
    updateAllowed: (module) => updateAllAllowed || (allowUpdate && isModuleAllowed(module, undefined, updateAllow, updateDeny)),
  };
}
