/** Base.User: an email holder. Session users need the userinfo.email scope to read it (scopes.ts). */
import type { Runtime } from '../runtime/runtime';

export class User {
  constructor(
    private readonly runtime: Runtime,
    private readonly email: string,
    private readonly service: 'Session' | 'SpreadsheetApp' | 'DocumentApp' = 'SpreadsheetApp',
  ) {}
  getEmail(): string {
    this.runtime.gate(`${this.service}.User.getEmail`);
    return this.email;
  }
  getUserLoginId(): string {
    return this.getEmail();
  }
  toString(): string {
    return this.email;
  }
}
