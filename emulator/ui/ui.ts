/**
 * Base.Ui for Sheets (S6.x): menus are recorded, alerts/prompts answered from a queue (default OK),
 * sidebars and dialogs recorded with title and content. alert/prompt suspend the script, which
 * releases its locks (S6.3, L1.2).
 */
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';
import type { Toast } from '../spreadsheet/spreadsheet';

export type ButtonName = 'OK' | 'CANCEL' | 'YES' | 'NO' | 'CLOSE';
export type MenuItem = { caption: string; fn: string } | 'separator' | { caption: string; items: MenuItem[] };
export interface RecordedMenu {
  title: string;
  items: MenuItem[];
}

export const Button: Record<ButtonName, ButtonName> = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' };
export const ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' } as const;

/** What the user saw; the emulator's `ui` inspection object. */
export class UiRecord {
  menus: RecordedMenu[] = [];
  alerts: string[] = [];
  toasts: Toast[] = [];
  sidebar: { title: string; html: string } | null = null;
  dialogs: Array<{ title: string; html: string; modal: boolean }> = [];
  private alertAnswers: ButtonName[] = [];
  private promptAnswers: Array<{ text: string; button: ButtonName }> = [];

  queueAlertResponse(button: ButtonName): void {
    this.alertAnswers.push(button);
  }
  queuePromptResponse(text: string, button: string = 'OK'): void {
    this.promptAnswers.push({ text, button: button as ButtonName });
  }
  nextAlert(): ButtonName {
    return this.alertAnswers.shift() ?? 'OK';
  }
  nextPrompt(): { text: string; button: ButtonName } {
    return this.promptAnswers.shift() ?? { text: '', button: 'OK' };
  }
}

export const NO_UI_MESSAGE = 'Cannot call SpreadsheetApp.getUi() from this context.';

/** S6.1: time-driven/installable triggers and custom functions have no UI; sidebars (rpc) do. */
export function assertUiContext(runtime: Runtime): void {
  const kind = runtime.current?.kind;
  if (kind === 'trigger' || kind === 'customFunction') throw exception(NO_UI_MESSAGE);
}

interface HtmlLike {
  getContent(): string;
  getTitle(): string | null;
}

export class Menu {
  private items: MenuItem[] = [];
  constructor(private readonly runtime: Runtime, private readonly record: UiRecord, readonly title: string) {}
  addItem(caption: string, functionName: string): this {
    this.runtime.gate('SpreadsheetApp.Menu.addItem');
    this.items.push({ caption: String(caption), fn: String(functionName) });
    return this;
  }
  addSeparator(): this {
    this.runtime.gate('SpreadsheetApp.Menu.addSeparator');
    this.items.push('separator');
    return this;
  }
  addSubMenu(menu: Menu): this {
    this.runtime.gate('SpreadsheetApp.Menu.addSubMenu');
    this.items.push({ caption: menu.title, items: menu.items });
    return this;
  }
  /** Re-adding a menu with the same title replaces it (each onOpen rebuilds the menus). */
  addToUi(): void {
    this.runtime.gate('SpreadsheetApp.Menu.addToUi');
    const menu = { title: this.title, items: [...this.items] };
    const i = this.record.menus.findIndex((m) => m.title === this.title);
    if (i >= 0) this.record.menus[i] = menu;
    else this.record.menus.push(menu);
  }
}

export class Ui {
  readonly Button = Button;
  readonly ButtonSet = ButtonSet;
  constructor(
    private readonly runtime: Runtime,
    private readonly record: UiRecord,
    private readonly addOnName: string,
    private readonly suspend: () => void,
  ) {}
  createMenu(caption: string): Menu {
    this.runtime.gate('SpreadsheetApp.Ui.createMenu');
    return new Menu(this.runtime, this.record, String(caption));
  }
  createAddonMenu(): Menu {
    this.runtime.gate('SpreadsheetApp.Ui.createAddonMenu');
    return new Menu(this.runtime, this.record, this.addOnName);
  }
  /** alert(prompt) | alert(prompt, buttons) | alert(title, prompt, buttons). Recorded as 'title: prompt' when titled. */
  alert(a: string, b?: string, c?: string): ButtonName {
    this.runtime.gate('SpreadsheetApp.Ui.alert');
    const titled = c !== undefined;
    this.record.alerts.push(titled ? `${a}: ${b}` : String(a));
    this.suspend();
    return this.record.nextAlert();
  }
  prompt(a: string, b?: string, c?: string): { getResponseText(): string; getSelectedButton(): ButtonName } {
    this.runtime.gate('SpreadsheetApp.Ui.prompt');
    const titled = c !== undefined || (b !== undefined && !(b in ButtonSet));
    this.record.alerts.push(titled ? `${a}: ${b}` : String(a));
    this.suspend();
    const answer = this.record.nextPrompt();
    const runtime = this.runtime;
    return {
      getResponseText: () => { runtime.gate('SpreadsheetApp.PromptResponse.getResponseText'); return answer.text; },
      getSelectedButton: () => { runtime.gate('SpreadsheetApp.PromptResponse.getSelectedButton'); return answer.button; },
    };
  }
  showSidebar(html: HtmlLike): void {
    this.runtime.gate('SpreadsheetApp.Ui.showSidebar');
    this.record.sidebar = this.runtime.direct(() => ({ title: html.getTitle() ?? '', html: html.getContent() }));
  }
  showModalDialog(html: HtmlLike, title: string): void {
    this.runtime.gate('SpreadsheetApp.Ui.showModalDialog');
    this.record.dialogs.push({ title: String(title), html: this.runtime.direct(() => html.getContent()), modal: true });
  }
  showModelessDialog(html: HtmlLike, title: string): void {
    this.runtime.gate('SpreadsheetApp.Ui.showModelessDialog');
    this.record.dialogs.push({ title: String(title), html: this.runtime.direct(() => html.getContent()), modal: false });
  }
}
