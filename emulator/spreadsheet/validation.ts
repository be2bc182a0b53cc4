/** Data validation rules: SpreadsheetApp.newDataValidation() builder and the built rule. */
import { exception } from '../runtime/errors';
import type { Runtime } from '../runtime/runtime';

export type CriteriaType = 'VALUE_IN_LIST' | 'VALUE_IN_RANGE' | 'CHECKBOX' | 'NUMBER_BETWEEN' | 'TEXT_IS_VALID_EMAIL' | 'DATE_IS_VALID_DATE';

export const DataValidationCriteria: Record<CriteriaType, CriteriaType> = {
  VALUE_IN_LIST: 'VALUE_IN_LIST', VALUE_IN_RANGE: 'VALUE_IN_RANGE', CHECKBOX: 'CHECKBOX',
  NUMBER_BETWEEN: 'NUMBER_BETWEEN', TEXT_IS_VALID_EMAIL: 'TEXT_IS_VALID_EMAIL', DATE_IS_VALID_DATE: 'DATE_IS_VALID_DATE',
};

export interface DataValidationModel {
  criteria: CriteriaType;
  args: unknown[];
  allowInvalid: boolean;
  helpText: string | null;
}

export class DataValidation {
  constructor(private readonly runtime: Runtime, readonly model: DataValidationModel) {}
  getCriteriaType(): CriteriaType {
    this.runtime.gate('SpreadsheetApp.DataValidation.getCriteriaType');
    return this.model.criteria;
  }
  getCriteriaValues(): unknown[] {
    this.runtime.gate('SpreadsheetApp.DataValidation.getCriteriaValues');
    return this.model.args.map((a) => (Array.isArray(a) ? [...a] : a));
  }
  getAllowInvalid(): boolean {
    this.runtime.gate('SpreadsheetApp.DataValidation.getAllowInvalid');
    return this.model.allowInvalid;
  }
  getHelpText(): string | null {
    this.runtime.gate('SpreadsheetApp.DataValidation.getHelpText');
    return this.model.helpText;
  }
  copy(): DataValidationBuilder {
    this.runtime.gate('SpreadsheetApp.DataValidation.copy');
    return new DataValidationBuilder(this.runtime, { ...this.model, args: [...this.model.args] });
  }
}

export class DataValidationBuilder {
  private model: DataValidationModel;
  constructor(private readonly runtime: Runtime, from?: DataValidationModel) {
    this.model = from ?? { criteria: 'VALUE_IN_LIST', args: [[], true], allowInvalid: true, helpText: null };
  }
  private step(method: string, fn: () => void): this {
    this.runtime.gate(`SpreadsheetApp.DataValidationBuilder.${method}`);
    fn();
    return this;
  }
  requireValueInList(values: unknown[], showDropdown = true): this {
    return this.step('requireValueInList', () => {
      if (!Array.isArray(values)) throw exception("The parameters don't match the method signature for SpreadsheetApp.DataValidationBuilder.requireValueInList.");
      this.model = { ...this.model, criteria: 'VALUE_IN_LIST', args: [values.map(String), showDropdown] };
    });
  }
  requireValueInRange(range: unknown, showDropdown = true): this {
    return this.step('requireValueInRange', () => { this.model = { ...this.model, criteria: 'VALUE_IN_RANGE', args: [range, showDropdown] }; });
  }
  requireCheckbox(): this {
    return this.step('requireCheckbox', () => { this.model = { ...this.model, criteria: 'CHECKBOX', args: [] }; });
  }
  requireNumberBetween(start: number, end: number): this {
    return this.step('requireNumberBetween', () => { this.model = { ...this.model, criteria: 'NUMBER_BETWEEN', args: [start, end] }; });
  }
  requireTextIsEmail(): this {
    return this.step('requireTextIsEmail', () => { this.model = { ...this.model, criteria: 'TEXT_IS_VALID_EMAIL', args: [] }; });
  }
  requireDate(): this {
    return this.step('requireDate', () => { this.model = { ...this.model, criteria: 'DATE_IS_VALID_DATE', args: [] }; });
  }
  setAllowInvalid(allow: boolean): this {
    return this.step('setAllowInvalid', () => { this.model = { ...this.model, allowInvalid: Boolean(allow) }; });
  }
  setHelpText(text: string): this {
    return this.step('setHelpText', () => { this.model = { ...this.model, helpText: String(text) }; });
  }
  build(): DataValidation {
    this.runtime.gate('SpreadsheetApp.DataValidationBuilder.build');
    return new DataValidation(this.runtime, { ...this.model });
  }
}

/** Whether a value typed by a user passes the rule (used by userEdit for "reject input" rules). */
export function accepts(rule: DataValidationModel, value: unknown): boolean {
  if (value === '' || value === undefined || value === null) return true;
  switch (rule.criteria) {
    case 'VALUE_IN_LIST': return (rule.args[0] as string[]).includes(String(value));
    case 'CHECKBOX': return typeof value === 'boolean';
    case 'NUMBER_BETWEEN': return typeof value === 'number' && value >= (rule.args[0] as number) && value <= (rule.args[1] as number);
    case 'TEXT_IS_VALID_EMAIL': return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(value));
    case 'DATE_IS_VALID_DATE': return value instanceof Date;
    default: return true;
  }
}
