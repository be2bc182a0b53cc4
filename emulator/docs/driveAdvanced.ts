/**
 * The advanced Drive service (Drive API v3 as the `Drive` global), for the calls this add-on makes:
 * Files.copy / create / get / update / list / remove and Permissions.create / list / remove.
 * "Like all advanced services in Apps Script, the advanced Drive service uses the same objects,
 * methods, and parameters as the public API … methods called delete in the Drive API are named
 * remove" (https://developers.google.com/apps-script/advanced/drive). It exists only when the
 * manifest enables it (dependencies.enabledAdvancedServices, userSymbol "Drive").
 *
 * Scopes: `drive.file` — "Create new Drive files, or modify existing files, that you open with an
 * app or that the user shares with an app" (https://developers.google.com/workspace/drive/api/guides/api-specific-auth,
 * "Recommended, non-sensitive") — covers what this project made (DocumentApp.create, a Drive copy,
 * a folder it created), for any user who can open the file (INF: per-file access follows the app,
 * not the user who made it). A file a person made in Docs is not covered: the API answers 404
 * "File not found: <id>." as if it did not exist. With `drive` (restricted) every file the user can
 * open is covered. Errors reach the script as GoogleJsonResponseException "API call to
 * drive.files.copy failed with error: File not found: <id>." (RPT: the shape of advanced-service
 * errors in public execution logs; INF for each exact message).
 */
import { copyContent, emptyContent } from './docsModel';
import { DOC_MIME, DocStore, FOLDER_MIME, docUrl, folderUrl, type Acl, type DocModel, type FolderModel, type Role } from './docs';
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';

const AUTH = 'https://www.googleapis.com/auth/';

export interface DriveFileResource {
  kind: 'drive#file';
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  trashed: boolean;
  createdTime: string;
  owners: { emailAddress: string }[];
  webViewLink: string;
  appProperties: Record<string, string>;
}

const DEFAULT_FIELDS = ['kind', 'id', 'name', 'mimeType'];

/** The file fields a `fields` mask asks for (list: inside `files(...)`); the default four when none. */
export function fileFields(fields: unknown, forList: boolean): string[] | '*' {
  if (fields === undefined || fields === null || String(fields).trim() === '') return DEFAULT_FIELDS;
  let mask = String(fields).trim();
  if (mask === '*') return '*';
  if (forList) {
    const at = mask.search(/(^|[,\s])files\(/);
    if (at < 0) return /(^|,)\s*files\s*(,|$)/.test(mask) ? '*' : [];
    const open = mask.indexOf('(', at);
    let depth = 0;
    let end = open;
    for (; end < mask.length; end++) {
      if (mask[end] === '(') depth++;
      else if (mask[end] === ')' && --depth === 0) break;
    }
    mask = mask.slice(open + 1, end);
  }
  // top-level names only: 'owners(emailAddress)' asks for owners
  const names: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of mask) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) { names.push(cur); cur = ''; continue; }
    if (depth === 0 && ch !== ')') cur += ch;
  }
  names.push(cur);
  mask = names.join(',');
  const list = mask.split(',').map((f) => f.trim().split(/[/(]/)[0]).filter(Boolean);
  return list.includes('*') ? '*' : list;
}

function pickFields(r: DriveFileResource, fields: string[] | '*'): Partial<DriveFileResource> {
  if (fields === '*') return r;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in r) out[f] = (r as unknown as Record<string, unknown>)[f];
  return out as Partial<DriveFileResource>;
}

function apiError(method: string, message: string): Error {
  const e = exception(`API call to drive.${method} failed with error: ${message}`);
  e.name = 'GoogleJsonResponseException';
  return e;
}

type Item = ({ type: 'doc' } & DocModel) | ({ type: 'folder' } & FolderModel);

export function createDriveAdvanced(runtime: Runtime, store: DocStore) {
  const g = (m: string) => runtime.gate(`Drive.${m}`);
  const hasFullDrive = () => runtime.scopes === null || runtime.scopes.has(`${AUTH}drive`);

  const find = (id: string): Item | null => {
    const d = store.get(id);
    if (d) return { type: 'doc', ...d } as Item;
    const f = store.folders.get(id);
    return f ? ({ type: 'folder', ...f } as Item) : null;
  };
  const model = (id: string): DocModel | FolderModel | null => store.get(id) ?? store.folders.get(id) ?? null;

  /** The acting user's role on the file as this app sees it (null: "File not found"). */
  const visibleRole = (m: DocModel | FolderModel): Role | null => {
    if (m.trashed) return store.roleOf(m, store.actingUser()); // trashed files stay visible to get/update
    if (!hasFullDrive() && !m.appCreated) return null;
    return store.roleOf(m, store.actingUser());
  };
  const need = (method: string, id: string, min: Role): DocModel | FolderModel => {
    const m = model(String(id));
    const role = m ? visibleRole(m) : null;
    if (!m || role === null || (!hasFullDrive() && !m.appCreated)) throw apiError(method, `File not found: ${id}.`);
    const rank = { reader: 1, writer: 2, owner: 3 } as const;
    if (rank[role] < rank[min]) throw apiError(method, 'The user does not have sufficient permissions for this file.');
    return m;
  };
  const resource = (m: DocModel | FolderModel): DriveFileResource => {
    const isFolder = store.folders.has(m.id);
    return {
      kind: 'drive#file', id: m.id, name: m.name, mimeType: isFolder ? FOLDER_MIME : DOC_MIME, parents: [...m.parents], trashed: m.trashed,
      createdTime: new Date(m.createdMs).toISOString(), owners: [{ emailAddress: m.acl.owner }], webViewLink: isFolder ? folderUrl(m.id) : docUrl(m.id),
      appProperties: { ...(m.appProperties ?? {}) },
    };
  };
  const parentsOf = (method: string, parents: unknown): string[] => {
    const list = Array.isArray(parents) ? parents.map(String) : [];
    for (const p of list) {
      const f = store.folders.get(p);
      if (!f) throw apiError(method, `File not found: ${p}.`);
      need(method, p, 'writer');
    }
    return list;
  };
  const user = () => store.actingUser() ?? runtime.owner;
  const props = (p: unknown): Record<string, string> | undefined => {
    if (!p || typeof p !== 'object') return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(p as Record<string, unknown>)) if (v !== null && v !== undefined) out[k] = String(v);
    return out;
  };
  const answer = (m: DocModel | FolderModel, opts?: { fields?: unknown }) => pickFields(resource(m), fileFields(opts?.fields, false));
  const aclOf = (m: DocModel | FolderModel): Acl => m.acl;

  const permissionsOf = (m: DocModel | FolderModel) => [
    { id: `perm-${m.acl.owner}`, type: 'user', role: 'owner', emailAddress: m.acl.owner },
    ...m.acl.editors.map((e) => ({ id: `perm-${e}`, type: 'user', role: 'writer', emailAddress: e })),
    ...m.acl.viewers.map((e) => ({ id: `perm-${e}`, type: 'user', role: 'reader', emailAddress: e })),
  ];

  return {
    Files: {
      copy(res: { name?: string; parents?: string[]; appProperties?: Record<string, string> } | null, fileId: string, opts?: { fields?: string }): Partial<DriveFileResource> {
        g('Files.copy');
        const src = need('files.copy', fileId, 'reader');
        if (store.folders.has(src.id)) throw apiError('files.copy', 'This file cannot be copied by the user.');
        const u = user();
        if (!store.created.take(u, 1)) throw exception('Service invoked too many times for one day: docs create.'); // D1.2 (INF: a copy counts as a created document)
        const name = res?.name !== undefined ? String(res.name) : `Copy of ${src.name}`;
        const copy = store.copyOf(src as DocModel, name, u, parentsOf('files.copy', res?.parents));
        const ap = props(res?.appProperties);
        if (ap) copy.appProperties = ap;
        return answer(copy, opts);
      },
      create(res: { name?: string; mimeType?: string; parents?: string[]; appProperties?: Record<string, string> } | null, _media?: unknown, opts?: { fields?: string }): Partial<DriveFileResource> {
        g('Files.create');
        const mime = String(res?.mimeType ?? '');
        const parents = parentsOf('files.create', res?.parents);
        const u = user();
        if (mime === FOLDER_MIME) {
          const f: FolderModel = { id: store.newId('Folder'), name: String(res?.name ?? 'Untitled folder'), acl: { owner: u, editors: [], viewers: [] }, parents, appCreated: true, trashed: false, createdMs: runtime.clock.nowMs(), appProperties: props(res?.appProperties) };
          store.folders.set(f.id, f);
          return answer(f, opts);
        }
        if (mime === DOC_MIME) {
          if (!store.created.take(u, 1)) throw exception('Service invoked too many times for one day: docs create.');
          const blank = store.copyOf({ saved: emptyContent() } as DocModel, String(res?.name ?? 'Untitled document'), u, parents);
          blank.content = copyContent(blank.saved);
          const ap = props(res?.appProperties);
          if (ap) blank.appProperties = ap;
          return answer(blank, opts);
        }
        throw apiError('files.create', `Only folders and Google Docs are modelled (mimeType ${mime || 'missing'}).`);
      },
      get(fileId: string, opts?: { fields?: string }): Partial<DriveFileResource> {
        g('Files.get');
        return answer(need('files.get', fileId, 'reader'), opts);
      },
      update(res: { name?: string; trashed?: boolean; appProperties?: Record<string, string | null> } | null, fileId: string, _media?: unknown, opts?: { addParents?: string; removeParents?: string; fields?: string }): Partial<DriveFileResource> {
        g('Files.update');
        const m = need('files.update', fileId, res?.trashed !== undefined ? 'owner' : 'writer');
        if (res?.name !== undefined) m.name = String(res.name);
        if (res?.trashed !== undefined) m.trashed = Boolean(res.trashed);
        if (opts?.addParents) for (const p of parentsOf('files.update', String(opts.addParents).split(','))) if (!m.parents.includes(p)) m.parents.push(p);
        if (opts?.removeParents) { const rm = String(opts.removeParents).split(','); m.parents = m.parents.filter((p) => !rm.includes(p)); }
        if (res?.appProperties && typeof res.appProperties === 'object') {
          const next = { ...(m.appProperties ?? {}) };
          for (const [k, v] of Object.entries(res.appProperties)) { if (v === null) delete next[k]; else next[k] = String(v); } // "Entries with null values are cleared"
          m.appProperties = next;
        }
        return answer(m, opts);
      },
      list(opts?: { q?: string; pageSize?: number; pageToken?: string; fields?: string }): { files: Partial<DriveFileResource>[]; nextPageToken?: string } {
        g('Files.list');
        const filter = parseQuery(String(opts?.q ?? ''));
        const all: Array<DocModel | FolderModel> = [...store.all(), ...store.folders.values()];
        const visible = all.filter((m) => (hasFullDrive() || m.appCreated) && store.roleOf(m, store.actingUser()) !== null && filter(m, store.folders.has(m.id)));
        visible.sort((a, b) => a.createdMs - b.createdMs || a.id.localeCompare(b.id));
        const size = Math.min(1000, Math.max(1, Number(opts?.pageSize ?? 100)));
        const start = opts?.pageToken ? Number(opts.pageToken) : 0;
        const fields = fileFields(opts?.fields, true);
        const page = visible.slice(start, start + size).map((m) => pickFields(resource(m), fields));
        // With a fields mask the token comes back only when asked for ("nextPageToken, files(…)").
        const wantsToken = opts?.fields === undefined || /(^|,)\s*nextPageToken\s*(,|$)/.test(String(opts.fields)) || String(opts.fields).trim() === '*';
        return start + size < visible.length && wantsToken ? { files: page, nextPageToken: String(start + size) } : { files: page };
      },
      remove(fileId: string): void {
        g('Files.remove');
        const m = need('files.delete', fileId, 'owner');
        m.trashed = true; // deleted for good: nobody can open it again
        m.acl = { owner: m.acl.owner, editors: [], viewers: [] };
        (m as { deleted?: boolean }).deleted = true;
      },
    },
    Permissions: {
      create(res: { role?: string; type?: string; emailAddress?: string } | null, fileId: string): { id: string; role: string; type: string; emailAddress: string } {
        g('Permissions.create');
        const m = need('permissions.create', fileId, 'writer');
        const role = String(res?.role ?? '');
        const email = String(res?.emailAddress ?? '').trim().toLowerCase();
        if (res?.type !== 'user' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw apiError('permissions.create', 'Invalid sharing request. Only user permissions with an email address are modelled.');
        if (role !== 'reader' && role !== 'writer' && role !== 'commenter') throw apiError('permissions.create', `Invalid value for role: ${role}`);
        store.grant(aclOf(m), email, role === 'writer' ? 'writer' : 'reader');
        return { id: `perm-${email}`, role, type: 'user', emailAddress: email };
      },
      list(fileId: string): { permissions: ReturnType<typeof permissionsOf> } {
        g('Permissions.list');
        return { permissions: permissionsOf(need('permissions.list', fileId, 'reader')) };
      },
      remove(fileId: string, permissionId: string): void {
        g('Permissions.remove');
        const m = need('permissions.delete', fileId, 'writer');
        const email = String(permissionId).replace(/^perm-/, '');
        if (email === m.acl.owner) throw apiError('permissions.delete', 'The owner of a file cannot be removed.');
        m.acl.editors = m.acl.editors.filter((e) => e !== email);
        m.acl.viewers = m.acl.viewers.filter((e) => e !== email);
      },
    },
  };
}

/** The subset of Drive's query language the add-on uses: terms joined by "and". */
export function parseQuery(q: string): (m: DocModel | FolderModel, isFolder: boolean) => boolean {
  const terms = q.trim() === '' ? [] : q.split(/\s+and\s+/i);
  const tests = terms.map((t) => {
    const term = t.trim();
    let m: RegExpExecArray | null;
    if ((m = /^'([^']+)'\s+in\s+parents$/i.exec(term))) { const id = m[1]; return (x: DocModel | FolderModel) => x.parents.includes(id); }
    if ((m = /^trashed\s*=\s*(true|false)$/i.exec(term))) { const v = m[1].toLowerCase() === 'true'; return (x: DocModel | FolderModel) => x.trashed === v; }
    if ((m = /^mimeType\s*(=|!=)\s*'([^']+)'$/i.exec(term))) {
      const [, op, mime] = m;
      return (_x: DocModel | FolderModel, isFolder: boolean) => ((isFolder ? FOLDER_MIME : DOC_MIME) === mime) === (op === '=');
    }
    if ((m = /^createdTime\s*(<=|>=|<|>)\s*'([^']+)'$/i.exec(term))) {
      const [, op, iso] = m;
      const t0 = Date.parse(iso);
      if (Number.isNaN(t0)) break_(term);
      return (x: DocModel | FolderModel) => (op === '<' ? x.createdMs < t0 : op === '<=' ? x.createdMs <= t0 : op === '>' ? x.createdMs > t0 : x.createdMs >= t0);
    }
    if ((m = /^name\s*=\s*'([^']*)'$/i.exec(term))) { const name = m[1]; return (x: DocModel | FolderModel) => x.name === name; }
    return break_(term);
  });
  return (x, isFolder) => tests.every((f) => f(x, isFolder)) && !(x as { deleted?: boolean }).deleted;
}
function break_(term: string): never {
  throw apiError('files.list', `Invalid Value (the emulator models no query term "${term}")`);
}
