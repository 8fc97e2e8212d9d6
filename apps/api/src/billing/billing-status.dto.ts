import { ApiProperty } from '@nestjs/swagger';
import { TICKET_PRODUCTS } from '@helpdesk/intake';
import type { TicketProduct } from '@helpdesk/intake';

/** An amount in the currency's major unit, as text (never a float). */
export class MoneyDto {
  @ApiProperty({ example: '1250.00' }) amount: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
}

export class OverdueDto {
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty({ description: 'Days past the due date of the oldest unpaid invoice' }) days: number;
  @ApiProperty() invoices: number;
}

/** A customer's billing status as staff see it on a ticket (billing's TicketBillingView). */
export class TicketBillingDto {
  @ApiProperty({ enum: ['current', 'overdue', 'suspended'] }) state: 'current' | 'overdue' | 'suspended';
  @ApiProperty({ type: OverdueDto, nullable: true }) overdue: OverdueDto | null;
  @ApiProperty({ type: MoneyDto }) outstanding: MoneyDto;
  @ApiProperty({ enum: TICKET_PRODUCTS, isArray: true }) suspendedProducts: TicketProduct[];
  @ApiProperty({ type: [String], description: 'Invoice numbers the customer disputes in an open billing ticket' }) disputedInvoices: string[];
}
