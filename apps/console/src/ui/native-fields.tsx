import { useId } from 'react';

/**
 * The form fields the inbox's first paint needs, as native elements with the console's `field` markup
 * (what `fields.tsx` gives with React Aria): the inbox's filters draw with the rows, and React Aria, which the
 * inbox needs for nothing else, is then not loaded, evaluated and run before its first rows.
 */
export function InputField({ label, value, onChange, inputRef, placeholder, className }: { label: string; value: string; onChange: (value: string) => void; inputRef?: React.Ref<HTMLInputElement>; placeholder?: string; className?: string }) {
  const id = useId();
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} ref={inputRef} type="text" value={value} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} />
    </div>
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

