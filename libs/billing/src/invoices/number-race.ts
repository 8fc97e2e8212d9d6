/**
 * Runs `work` again once when it lost a race to create the same invoice number (the unique index
 * refused the second insert): the second time it finds the invoice and treats it as a repeat.
 */
export async function retryOnNumberRace<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const pg = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
    if ((pg.driverError?.code ?? pg.code) === '23505' && (pg.driverError?.constraint ?? pg.constraint) === 'invoices_number_key') return work();
    throw error;
  }
}
