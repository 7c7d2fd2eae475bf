import { hostnameFromName } from '../../../topology/dns-names';
import { validateDescription, validateHostname, validateName, NAME_MAX } from '../../../topology/rules/names';

describe('validateName', () => {
  it.each(['zone1', 'a', 'web-1', 'l2 public', 'app.v2_(blue)', 'host@rack:3/u12', 'a+b,c', 'x'.repeat(NAME_MAX)])(
    'GIVEN %j WHEN validated THEN it is a valid name',
    (name) => {
      expect(validateName(name)).toEqual([]);
    },
  );

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(NAME_MAX + 1)],
    ['a quote (SQL fragment)', "' OR 1=1 --"],
    ['a semicolon', 'a;b'],
    ['a double quote', 'say "hi"'],
    ['a backtick', 'a`id`'],
    ['a dollar', '$(id)'],
    ['brackets', 'a[0]'],
    ['a leading space', ' lead'],
    ['a trailing space', 'trail '],
    ['a leading separator', '-x'],
    ['a trailing separator', 'x-'],
    ['a newline', 'a\nb'],
    ['non-ASCII', 'zöne'],
    ['an RTL override', 'a\u202eb'],
    ['an emoji', 'rocket🚀'],
  ])('GIVEN a name with %s WHEN validated THEN INVALID_NAME at name', (_what, name) => {
    const [v, ...rest] = validateName(name);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ code: 'INVALID_NAME', path: 'name' });
  });

  it('GIVEN a non-string WHEN validated THEN INVALID_NAME with the given path', () => {
    expect(validateName(42, 'items[0].name')).toEqual([expect.objectContaining({ code: 'INVALID_NAME', path: 'items[0].name' })]);
  });
});

describe('validateDescription', () => {
  it.each([undefined, null, '', 'Zürich racks, 2nd floor — ünïcode is fine\nsecond line\ttabbed'])('GIVEN %j WHEN validated THEN it is accepted', (d) => {
    expect(validateDescription(d)).toEqual([]);
  });

  it.each([
    ['a control character', 'bell\u0007'],
    ['an RTL override', 'evil\u202etxt'],
    ['too long', 'x'.repeat(2049)],
    ['a number', 42],
  ])('GIVEN %s WHEN validated THEN INVALID_DESCRIPTION', (_what, d) => {
    expect(validateDescription(d)).toEqual([expect.objectContaining({ code: 'INVALID_DESCRIPTION', path: 'description' })]);
  });
});

describe('VM host names', () => {
  it.each(['web', 'web-1', 'a', '1web', 'x'.repeat(63), 'ignored', 'h10'])('GIVEN %j THEN it is a host name', (name) => {
    expect(validateHostname(name)).toEqual([]);
    expect(hostnameFromName(name)).toBe(name);
  });

  it.each(['ignore', 'infinite', '42', '10h', '7d', 'Web', '-web', 'web-', 'web.example', 'x'.repeat(64)])(
    'GIVEN %j THEN INVALID_HOSTNAME, and a VM named so gets no derived host name (the server names it vm-<uuid>)',
    (name) => {
      expect(validateHostname(name)).toEqual([expect.objectContaining({ code: 'INVALID_HOSTNAME', path: 'hostname' })]);
      const derived = hostnameFromName(name);
      if (derived !== null) expect(validateHostname(derived)).toEqual([]);
    },
  );

  it('derives a host name from a VM name', () => {
    expect(hostnameFromName('Web Server 1')).toBe('web-server-1');
    expect(hostnameFromName('IGNORE')).toBeNull();
    expect(hostnameFromName('42')).toBeNull();
    expect(hostnameFromName('***')).toBeNull();
  });
});
