import type { ReactNode } from 'react';
import { useId } from 'react';
import { Checkbox as AriaCheckbox, CheckboxGroup, FieldError, Input, Label, Switch as AriaSwitch, Text, TextArea, TextField as AriaTextField } from 'react-aria-components';

/**
 * The console's form fields: React Aria Components for text, switches and checkboxes (labels,
 * descriptions and errors wired to the input), a native <select> for plain choices (the most
 * accessible select there is, keyboard and screen reader included).
 */
interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  description?: string;
  error?: string;
  type?: 'text' | 'password' | 'email' | 'url' | 'number' | 'date' | 'time' | 'datetime-local';
  multiline?: boolean;
  rows?: number;
  isRequired?: boolean;
  autoFocus?: boolean;
  name?: string;
  inputRef?: React.Ref<HTMLInputElement & HTMLTextAreaElement>;
  className?: string;
  placeholder?: string;
}

export function TextField({ label, value, onChange, description, error, type = 'text', multiline, rows = 4, isRequired, autoFocus, name, inputRef, className, placeholder }: TextFieldProps) {
  return (
    <AriaTextField
      className={`field ${className ?? ''}`}
      value={value}
      onChange={onChange}
      isRequired={isRequired}
      isInvalid={Boolean(error)}
      autoFocus={autoFocus}
      name={name}
      type={multiline ? undefined : type}
    >
      <Label>{label}</Label>
      {multiline ? <TextArea ref={inputRef} rows={rows} placeholder={placeholder} /> : <Input ref={inputRef} placeholder={placeholder} />}
      {description && <Text slot="description">{description}</Text>}
      <FieldError>{error}</FieldError>
    </AriaTextField>
  );
}

export interface Option<V extends string = string> {
  value: V;
  label: string;
}

interface SelectFieldProps<V extends string> {
  label: string;
  value: V;
  options: Option<V>[];
  onChange: (value: V) => void;
  isDisabled?: boolean;
  selectRef?: React.Ref<HTMLSelectElement>;
  className?: string;
  error?: string;
}

/** The value chosen is always one of `options` (a <select> offers nothing else), hence typed as theirs. */
export function SelectField<V extends string>({ label, value, options, onChange, isDisabled, selectRef, className, error }: SelectFieldProps<V>) {
  const id = useId();
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} ref={selectRef} value={value} disabled={isDisabled} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(event) => onChange(event.target.value as V)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

export function Switch({ children, isSelected, onChange, isDisabled }: { children: ReactNode; isSelected: boolean; onChange: (value: boolean) => void; isDisabled?: boolean }) {
  return (
    <AriaSwitch className="switch" isSelected={isSelected} onChange={onChange} isDisabled={isDisabled}>
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      {children}
    </AriaSwitch>
  );
}

export function Checkbox({ children, isSelected, onChange, isDisabled }: { children: ReactNode; isSelected: boolean; onChange: (value: boolean) => void; isDisabled?: boolean }) {
  return (
    <AriaCheckbox className="checkbox" isSelected={isSelected} onChange={onChange} isDisabled={isDisabled}>
      <span className="checkbox-box" aria-hidden="true">
        {isSelected ? '✓' : ''}
      </span>
      {children}
    </AriaCheckbox>
  );
}

/** Several of a few choices (a group of checkboxes under one label); the values chosen are always some of `options`. */
export function ChoiceGroup<V extends string>({ label, value, options, onChange }: { label: string; value: readonly V[]; options: Option<V>[]; onChange: (value: V[]) => void }) {
  return (
    <CheckboxGroup className="choice-group" value={[...value]} onChange={(chosen) => onChange(chosen as V[])}>
      <Label>{label}</Label>
      <div className="choices">
        {options.map((option) => (
          <AriaCheckbox key={option.value} value={option.value} className="checkbox">
            {({ isSelected }) => (
              <>
                <span className="checkbox-box" aria-hidden="true">
                  {isSelected ? '✓' : ''}
                </span>
                {option.label}
              </>
            )}
          </AriaCheckbox>
        ))}
      </div>
    </CheckboxGroup>
  );
}
