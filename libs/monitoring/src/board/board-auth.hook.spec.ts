import { presentedToken } from './board-auth.hook';

describe('presentedToken', () => {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('reads a bearer token', () => {
    expect(presentedToken('Bearer hds_abc')).toBe('hds_abc');
    expect(presentedToken('bearer  hds_abc ')).toBe('hds_abc');
  });

  it('reads the password of HTTP Basic, whatever the user name', () => {
    expect(presentedToken(basic('admin', 'hds_abc'))).toBe('hds_abc');
    expect(presentedToken(basic('', 'hds_abc'))).toBe('hds_abc');
    expect(presentedToken(basic('x', 'with:colon'))).toBe('with:colon');
  });

  it('finds nothing without a usable credential', () => {
    expect(presentedToken(undefined)).toBeNull();
    expect(presentedToken('')).toBeNull();
    expect(presentedToken('Bearer')).toBeNull();
    expect(presentedToken(basic('admin', ''))).toBeNull();
    expect(presentedToken(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeNull();
    expect(presentedToken('Digest abc')).toBeNull();
  });
});
