// Crimson's built-in editor plugin "Access Tokens": a User Settings tab (RED.userSettings.add) where the
// logged-in user makes personal access tokens (name, full or read-only scope, an expiry), sees a new token's
// value once (with a copy button), lists their tokens and revokes them. It is served as a plugin set of the
// module "crimson" (set id `crimson/access-tokens`) in GET /plugins, only with adminAuth, so the editor loads
// it as it loads any package's plugin. It calls <admin root>/auth/tokens with the editor's own $.ajax, whose
// setup adds the login's bearer token to relative URLs.
import type { PluginSetInfo } from '../../registry/plugins.js';

export const ACCESS_TOKENS_PLUGIN_ID = 'crimson-access-tokens';
export const ACCESS_TOKENS_SET_ID = 'crimson/access-tokens';

/** The editor part: plain editor script (no template literals inside, so it can live in this string). */
export const ACCESS_TOKENS_PLUGIN_HTML = String.raw`<style>
#red-ui-settings-tab-crimson-access-tokens { position: absolute; top: 0; right: 0; left: 0; bottom: 0; padding: 8px 20px 20px; overflow-y: auto; }
#red-ui-settings-tab-crimson-access-tokens .crimson-pat-form label { min-width: 90px; }
#red-ui-settings-tab-crimson-access-tokens .crimson-pat-form input[type=text] { width: 260px; }
#red-ui-settings-tab-crimson-access-tokens .crimson-pat-created { margin: 10px; padding: 10px; border: 1px solid var(--red-ui-secondary-border-color); border-radius: 4px; background: var(--red-ui-secondary-background); }
#red-ui-settings-tab-crimson-access-tokens .crimson-pat-created input { width: calc(100% - 110px); font-family: var(--red-ui-monospace-font); margin: 0; height: auto; line-height: 1.6; padding-top: 4px; padding-bottom: 4px; }
#red-ui-settings-tab-crimson-access-tokens table.crimson-pat-list { width: 100%; border-collapse: collapse; margin: 5px 0 0; font-size: 13px; }
#red-ui-settings-tab-crimson-access-tokens table.crimson-pat-list th { text-align: left; color: var(--red-ui-secondary-text-color); font-weight: normal; border-bottom: 1px solid var(--red-ui-secondary-border-color); padding: 4px; }
#red-ui-settings-tab-crimson-access-tokens table.crimson-pat-list td { border-bottom: 1px solid var(--red-ui-secondary-border-color); padding: 4px; vertical-align: middle; word-break: break-word; }
#red-ui-settings-tab-crimson-access-tokens .crimson-pat-empty { color: var(--red-ui-secondary-text-color); font-style: italic; padding: 5px 10px; }
</style>
<script type="text/javascript">
(function() {
    var DAY = 24 * 60 * 60;
    var pane = null;

    function when(iso) { return iso ? new Date(iso).toLocaleString() : ''; }
    function scopeLabel(scope) {
        if (scope === '*') { return 'Full'; }
        if (scope === 'read') { return 'Read-only'; }
        return Array.isArray(scope) ? scope.join(', ') : String(scope);
    }
    function failure(xhr) {
        var body = xhr && xhr.responseJSON;
        return (body && body.message) || (xhr && (xhr.status + ' ' + xhr.statusText)) || 'request failed';
    }

    function copyValue(input) {
        var value = input.val();
        var selectIt = function() { input.trigger('focus'); input[0].select(); input[0].setSelectionRange(0, value.length); };
        var copied = function() { RED.notify('Access token copied to the clipboard', { type: 'success', timeout: 2000 }); };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(value).then(copied, function() {
                selectIt();
                RED.notify('Press Ctrl+C (Cmd+C) to copy the selected token', { timeout: 4000 });
            });
        } else {
            selectIt();
            var ok = false;
            try { ok = document.execCommand('copy'); } catch (err) { ok = false; }
            if (ok) { copied(); } else { RED.notify('Press Ctrl+C (Cmd+C) to copy the selected token', { timeout: 4000 }); }
        }
    }

    function refresh() {
        if (!pane) { return; }
        var body = pane.find('.crimson-pat-list tbody');
        $.ajax({ url: 'auth/tokens', dataType: 'json', cache: false }).done(function(data) {
            body.empty();
            var tokens = (data && data.tokens) || [];
            pane.find('.crimson-pat-empty').toggle(tokens.length === 0);
            pane.find('.crimson-pat-list').toggle(tokens.length > 0);
            tokens.forEach(function(t) {
                var row = $('<tr class="crimson-pat-row"></tr>').attr('data-token-id', t.id).appendTo(body);
                $('<td class="crimson-pat-name"></td>').text(t.name).appendTo(row);
                $('<td class="crimson-pat-scope"></td>').text(scopeLabel(t.scope)).appendTo(row);
                $('<td class="crimson-pat-created-at"></td>').text(when(t.created)).appendTo(row);
                $('<td class="crimson-pat-expires"></td>').text(t.expires ? when(t.expires) : 'Never').appendTo(row);
                $('<td class="crimson-pat-last-used"></td>').text(t.lastUsed ? when(t.lastUsed) : 'Never').appendTo(row);
                var cell = $('<td style="text-align: right; white-space: nowrap;"></td>').appendTo(row);
                $('<button type="button" class="red-ui-button red-ui-button-small crimson-pat-revoke"><i class="fa fa-trash"></i> Revoke</button>')
                    .appendTo(cell)
                    .on('click', function(evt) { evt.preventDefault(); confirmRevoke(t); });
            });
        }).fail(function(xhr) {
            RED.notify('Could not list access tokens: ' + RED.utils.sanitize(failure(xhr)), 'error');
        });
    }

    function confirmRevoke(t) {
        var dialog = RED.notify('<p>Revoke the access token <strong>' + RED.utils.sanitize(t.name) + '</strong>? Scripts using it stop working at once.</p>', {
            modal: true,
            fixed: true,
            type: 'warning',
            buttons: [
                { text: RED._('common.label.cancel'), click: function() { dialog.close(); } },
                { text: 'Revoke', class: 'primary crimson-pat-revoke-confirm', click: function() {
                    dialog.close();
                    $.ajax({ url: 'auth/tokens/' + encodeURIComponent(t.id), method: 'DELETE' }).done(function() {
                        RED.notify('Access token "' + RED.utils.sanitize(t.name) + '" revoked', { type: 'success', timeout: 2000 });
                        refresh();
                    }).fail(function(xhr) {
                        RED.notify('Could not revoke the access token: ' + RED.utils.sanitize(failure(xhr)), 'error');
                        refresh();
                    });
                } }
            ]
        });
    }

    function create(form) {
        var name = form.find('.crimson-pat-name-input').val().trim();
        if (!name) {
            form.find('.crimson-pat-name-input').addClass('input-error').trigger('focus');
            return;
        }
        form.find('.crimson-pat-name-input').removeClass('input-error');
        var request = { name: name, scope: form.find('.crimson-pat-scope-input').val() === 'read' ? 'read' : '*' };
        var expiry = form.find('.crimson-pat-expiry-input').val();
        if (expiry === '30' || expiry === '90') {
            request.expiresIn = Number(expiry) * DAY;
        } else if (expiry === 'custom') {
            var date = form.find('.crimson-pat-date-input').val();
            if (!date) {
                form.find('.crimson-pat-date-input').addClass('input-error').trigger('focus');
                return;
            }
            form.find('.crimson-pat-date-input').removeClass('input-error');
            request.expiresAt = new Date(date + 'T23:59:59').toISOString();
        }
        var button = form.find('.crimson-pat-create').prop('disabled', true);
        $.ajax({
            url: 'auth/tokens',
            method: 'POST',
            contentType: 'application/json',
            data: JSON.stringify(request),
            dataType: 'json'
        }).done(function(created) {
            form.find('.crimson-pat-name-input').val('');
            showCreated(created);
            refresh();
        }).fail(function(xhr) {
            RED.notify('Could not create the access token: ' + RED.utils.sanitize(failure(xhr)), 'error');
        }).always(function() {
            button.prop('disabled', false);
        });
    }

    function showCreated(created) {
        var box = pane.find('.crimson-pat-created').empty().show();
        $('<div></div>').append($('<strong></strong>').text('Token "' + created.name + '" created')).appendTo(box);
        var row = $('<div style="margin: 8px 0; display: flex; gap: 6px; align-items: center;"></div>').appendTo(box);
        var input = $('<input type="text" readonly class="crimson-pat-value">').val(created.token).appendTo(row);
        input.on('focus click', function() { this.select(); });
        $('<button type="button" class="red-ui-button crimson-pat-copy"><i class="fa fa-clipboard"></i> Copy</button>')
            .appendTo(row)
            .on('click', function(evt) { evt.preventDefault(); copyValue(input); });
        $('<div class="red-ui-settings-section-description crimson-pat-note"></div>')
            .text('Copy it now: this value will not be shown again. Use it as "Authorization: Bearer <token>".')
            .appendTo(box);
    }

    function build() {
        pane = $('<div id="red-ui-settings-tab-crimson-access-tokens" class="red-ui-help"></div>');
        $('<h3>Create an access token</h3>').appendTo(pane);
        $('<div class="red-ui-settings-section-description" style="padding: 0 10px 5px;"></div>')
            .text('Personal access tokens let scripts and CI use the admin API as you, within the scope you choose.')
            .appendTo(pane);
        var form = $('<div class="crimson-pat-form"></div>').appendTo(pane);
        var row = $('<div class="red-ui-settings-row"></div>').appendTo(form);
        $('<label for="crimson-pat-name">Name</label>').appendTo(row);
        $('<input type="text" id="crimson-pat-name" class="crimson-pat-name-input" maxlength="100" placeholder="e.g. ci deploys">').appendTo(row)
            .on('keydown', function(evt) { if (evt.key === 'Enter') { evt.preventDefault(); create(form); } });
        row = $('<div class="red-ui-settings-row"></div>').appendTo(form);
        $('<label for="crimson-pat-scope">Scope</label>').appendTo(row);
        $('<select id="crimson-pat-scope" class="crimson-pat-scope-input"><option value="*">Full</option><option value="read">Read-only</option></select>').appendTo(row);
        row = $('<div class="red-ui-settings-row"></div>').appendTo(form);
        $('<label for="crimson-pat-expiry">Expires</label>').appendTo(row);
        var expiry = $('<select id="crimson-pat-expiry" class="crimson-pat-expiry-input"><option value="none">Never</option><option value="30">In 30 days</option><option value="90">In 90 days</option><option value="custom">On a date&hellip;</option></select>').appendTo(row);
        var date = $('<input type="date" class="crimson-pat-date-input" style="width: 160px;">').hide().appendTo(row);
        var tomorrow = new Date(Date.now() + DAY * 1000);
        date.attr('min', tomorrow.toISOString().slice(0, 10));
        expiry.on('change', function() { date.toggle(expiry.val() === 'custom'); });
        row = $('<div class="red-ui-settings-row"></div>').appendTo(form);
        $('<label></label>').appendTo(row);
        $('<button type="button" class="red-ui-button primary crimson-pat-create"><i class="fa fa-plus"></i> Create token</button>').appendTo(row)
            .on('click', function(evt) { evt.preventDefault(); create(form); });
        $('<div class="crimson-pat-created"></div>').hide().appendTo(pane);

        $('<h3>Your access tokens</h3>').appendTo(pane);
        $('<div class="crimson-pat-empty">No access tokens</div>').hide().appendTo(pane);
        var table = $('<table class="crimson-pat-list"><thead><tr><th>Name</th><th>Scope</th><th>Created</th><th>Expires</th><th>Last used</th><th></th></tr></thead><tbody></tbody></table>').hide().appendTo(pane);
        refresh();
        return pane;
    }

    RED.plugins.registerPlugin('crimson-access-tokens', {
        onadd: function() {
            RED.userSettings.add({
                id: 'crimson-access-tokens',
                title: 'Access Tokens',
                get: build,
                close: function() {
                    // the value shown once goes with the tray
                    if (pane) { pane.find('.crimson-pat-created').empty().hide(); }
                    pane = null;
                }
            });
        }
    });
})();
</script>
`;

/**
 * The built-in plugin set (module "crimson") the registry lists after the packages' ones when adminAuth is
 * on; its editor part is left out with settings.disableEditor, as a package's would be.
 */
export function accessTokensPluginSet(version: string, withEditor: boolean): PluginSetInfo {
  const set: PluginSetInfo = {
    id: ACCESS_TOKENS_SET_ID, name: 'access-tokens', module: 'crimson', version, local: false,
    enabled: true, loaded: true, builtin: true,
    plugins: [{ id: ACCESS_TOKENS_PLUGIN_ID, module: 'crimson' }],
    template: 'crimson:access-tokens.html',
  };
  if (withEditor) set.config = ACCESS_TOKENS_PLUGIN_HTML;
  return set;
}
