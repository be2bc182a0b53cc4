/** What the views share: the user's bootstrap data and a way to move between tabs. */
import type { Bootstrap, ContactMethod } from '../../src/rpcTypes';

export type TabId = 'student' | 'today' | 'letters' | 'weekly' | 'settings' | 'policy';

export interface App {
  readonly bootstrap: Bootstrap;
  /** Shows a tab (as if the user clicked it) and moves focus to it when asked. */
  showTab(id: TabId, focus?: boolean): void;
  /** Opens the Student tab on a student with the contact form prefilled (Today → "Log call"). */
  logContactFor(studentId: string, method: ContactMethod): void;
}

/** One tab's content. activate() runs each time the tab is shown (first time: load). */
export interface View {
  activate(): void;
}
