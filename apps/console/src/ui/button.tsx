import type { ButtonHTMLAttributes } from 'react';

interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'disabled' | 'type'> {
  onPress?: () => void;
  isDisabled?: boolean;
  type?: 'button' | 'submit';
}

/**
 * A native button with React Aria's prop names and its `data-disabled` styling hook, for the shell
 * and the inbox's first paint: React Aria's Button brings its whole press-event machinery with it,
 * which the first page need not load and run before its first request.
 */
export function Button({ onPress, isDisabled, type = 'button', ...rest }: ButtonProps) {
  return <button {...rest} type={type} disabled={isDisabled} data-disabled={isDisabled || undefined} onClick={onPress} />;
}
