import { Injectable, PipeTransform } from '@nestjs/common';
import { INVOICE_NUMBER } from '@helpdesk/billing';
import { DomainError } from '@helpdesk/http';

/** An invoice number in a path: 1–100 letters, digits or . _ / - (a 400 naming `number` otherwise). */
@Injectable()
export class InvoiceNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!INVOICE_NUMBER.test(value)) throw DomainError.invalid('number', 'number must be 1–100 letters, digits or . _ / - starting with a letter or digit');
    return value;
  }
}
