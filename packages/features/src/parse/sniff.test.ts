import { describe, expect, it } from 'vitest';
import { sniffFormat } from './sniff.js';

describe('format detection', () => {
  it('recognises each shape and says what it saw', () => {
    const cases: Array<[string[], string]> = [
      [
        [
          'Feb 22 16:45:20 h sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2',
          'Feb 22 16:45:21 h cron[2]: x',
        ],
        'sshd',
      ],
      [
        ['<38>1 2024-02-22T10:00:00Z web1 sshd 812 - - Accepted password for a from 1.2.3.4 port 2 ssh2'],
        'sshd',
      ],
      [['{"MESSAGE":"x","__REALTIME_TIMESTAMP":"1","_HOSTNAME":"h"}'], 'sshd'],
      [['{"@timestamp":"2024-01-01T00:00:00Z","event":{"dataset":"system.auth"},"message":"x"}'], 'sshd'],
      [['{"winlog":{"event_id":4624},"event":{"code":"4624"}}'], 'winevt'],
      [['{"EventID":4624,"Hostname":"h","EventTime":"2020-01-01 00:00:00"}'], 'winevt'],
      [['{"Event":{"System":{"EventID":4624}}}'], 'winevt'],
      [
        ['{"eventName":"X","eventSource":"s3.amazonaws.com","eventTime":"2020-01-01T00:00:00Z"}'],
        'cloudtrail',
      ],
      [['{"class_uid":6003,"time":1}'], 'cloudtrail'],
      [['{"class_uid":3002,"time":1}'], 'ocsf'],
      [['{"action":"repo.create","actor":"a","created_at":1}'], 'github-audit'],
      [['1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success'], 'lanl'],
    ];
    for (const [lines, format] of cases) expect(sniffFormat(lines).format, lines[0]).toBe(format);
    expect(sniffFormat(['', 'Feb 22 16:45:20 h sshd[1]: x', 'garbage']).why).toBe(
      '1 syslog of the first 2 non-blank lines; 1 not recognised',
    );
  });

  it('refuses a mixed or unrecognised sample, with the counts', () => {
    const mixed = sniffFormat(['{"class_uid":3002,"time":1}', '{"class_uid":6003,"time":1}']);
    expect(mixed.format).toBeUndefined();
    expect(mixed.why).toMatch(/mix formats \(ocsf: 1, cloudtrail: 1;/);
    const none = sniffFormat(['hello', '{"a":1}']);
    expect(none.format).toBeUndefined();
    expect(none.why).toBe('none of the first 2 non-blank lines has the shape of a known format');
  });
});
