import type { Role } from '../admin/admins.ts';

/** One console menu: its page and the roles that may open it (三员分立: each role sees only its own duties). */
export interface Menu { id: string; zh: string; path: string; roles: Role[] }

export const MENUS: Menu[] = [
  { id: 'resources', zh: '密码资源', path: '/resources', roles: ['super_admin', 'operator', 'business_admin'] },
  { id: 'keys', zh: '密钥管理', path: '/keys', roles: ['business_admin', 'operator'] },
  { id: 'certificates', zh: '证书', path: '/certificates', roles: ['super_admin', 'business_admin'] },
  { id: 'apps', zh: '接入应用', path: '/apps', roles: ['business_admin'] },
  { id: 'audit', zh: '审计日志', path: '/audit', roles: ['auditor', 'audit_admin'] },
  { id: 'users', zh: '管理员', path: '/users', roles: ['super_admin'] },
];

/** Operations (form posts) and the roles allowed to perform them. */
export const ACTIONS: Record<string, Role[]> = {
  'create-key': ['business_admin'],
};

export function menusFor(roles: readonly Role[], leak: boolean): Menu[] {
  return leak ? MENUS : MENUS.filter((m) => m.roles.some((r) => roles.includes(r)));
}

export function mayOpen(menu: Menu, roles: readonly Role[], leak: boolean): boolean {
  return leak || menu.roles.some((r) => roles.includes(r));
}
