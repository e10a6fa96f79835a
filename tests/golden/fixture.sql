-- The data of the client's golden tests: a small province (2 cities, 12
-- counties, Chinese names, an apostrophe in Lin'an), 80 issues over 2025Q1
-- to 2025Q3 worked through the loop on fixed days, two frozen quarters.
-- Every day is in the past, so the outputs do not depend on today.
SET client_min_messages = warning;
SELECT issuelist.add_org('330000', 'Zhejiang', NULL, 'province', '浙江省');
SELECT issuelist.add_org('330100', 'Hangzhou', '330000', 'city', '杭州市');
SELECT issuelist.add_org('330700', 'Jinhua', '330000', 'city', '金华市');
SELECT issuelist.add_org(c, n, p, 'county', z)
  FROM (VALUES ('330106', 'Xihu', '330100', '西湖区'),
			   ('330109', 'Xiaoshan', '330100', '萧山区'),
			   ('330112', 'Lin''an', '330100', '临安区'),
			   ('330122', 'Tonglu', '330100', '桐庐县'),
			   ('330127', 'Chun''an', '330100', '淳安县'),
			   ('330182', 'Jiande', '330100', '建德市'),
			   ('330702', 'Wucheng', '330700', '婺城区'),
			   ('330703', 'Jindong', '330700', '金东区'),
			   ('330723', 'Wuyi', '330700', '武义县'),
			   ('330782', 'Yiwu', '330700', '义乌市'),
			   ('330783', 'Dongyang', '330700', '东阳市'),
			   ('330784', 'Yongkang', '330700', '永康市')) v(c, n, p, z)
 ORDER BY c;

-- Issue i: list, county, severity, origin and official from i; found every
-- third day from 2025-01-03.
CREATE TEMP TABLE fixture_issue AS
SELECT i, issuelist.register_issue(
		 (ARRAY['inspection', 'supervision', 'eco_inspection', 'audit',
				'safety', 'public_opinion', 'complaints'])[1 + i % 7],
		 org,
		 CASE WHEN i % 17 = 0 THEN 'critical' WHEN i % 5 = 0 THEN 'major'
			  WHEN i % 3 = 0 THEN 'serious' ELSE 'general' END::issuelist.severity,
		 format('Problem %s: %s', i,
				(ARRAY['river outfall not closed', '违规占用耕地', 'late audit rectification',
					   'fire exits blocked', '网络舆情回应迟缓', 'petition unanswered'])[1 + i % 6]),
		 date '2025-01-03' + 3 * i,
		 NULL,
		 (ARRAY['self', 'external', 'external', 'concealed'])[1 + i % 4],
		 CASE WHEN org = '330782' AND i % 2 = 0 THEN 'Wang Fang'
			  WHEN org = '330106' THEN '李明' END,
		 'round ' || (1 + i / 30),
		 NULL) AS code
  FROM (SELECT i, (ARRAY['330106', '330109', '330112', '330122', '330127', '330182',
						 '330702', '330703', '330723', '330782', '330783',
						 '330784'])[1 + (i * 5 + i / 12) % 12] AS org
		  FROM generate_series(1, 80) i) g
 ORDER BY i;

-- The loop, by i % 6: closed on time, closed late, rectifying, registered
-- (left to go overdue), withdrawn, rectified and awaiting acceptance.
SELECT issuelist.advance(code, 'assigned', NULL, date '2025-01-03' + 3 * i + 2)
  FROM fixture_issue WHERE i % 6 IN (0, 1, 2, 5) ORDER BY i;
SELECT issuelist.advance(code, 'rectifying', 'work started', date '2025-01-03' + 3 * i + 5)
  FROM fixture_issue WHERE i % 6 IN (0, 1, 2, 5) ORDER BY i;
SELECT issuelist.advance(code, 'rectified', 'evidence submitted', date '2025-01-03' + 3 * i + 20)
  FROM fixture_issue WHERE i % 6 IN (0, 5) ORDER BY i;
SELECT issuelist.advance(code, 'rectified', 'evidence submitted', date '2025-01-03' + 3 * i + 200)
  FROM fixture_issue WHERE i % 6 = 1 ORDER BY i;
SELECT issuelist.advance(code, 'closed', 'verified on site', date '2025-01-03' + 3 * i + 25)
  FROM fixture_issue WHERE i % 6 = 0 ORDER BY i;
SELECT issuelist.advance(code, 'closed', 'verified on site', date '2025-01-03' + 3 * i + 205)
  FROM fixture_issue WHERE i % 6 = 1 ORDER BY i;
SELECT issuelist.advance(code, 'withdrawn', 'duplicate', date '2025-01-03' + 3 * i + 4)
  FROM fixture_issue WHERE i % 6 = 4 ORDER BY i;
-- One closed issue came back.
SELECT issuelist.advance(code, 'reopened', 'the outfall leaks again', date '2025-09-01')
  FROM fixture_issue WHERE i = 6;
-- An extension and a tolerance.
SELECT issuelist.extend_deadline(code, date '2025-12-31', 'budget arrives in Q4', date '2025-03-01')
  FROM fixture_issue WHERE i = 9;
SELECT issuelist.tolerate(code, 'flood damage, reviewed', 'Zhou Qiang', date '2025-04-01', date '2025-12-31')
  FROM fixture_issue WHERE i = 15;

-- The secretaries of Yiwu and Xihu (docs/officials.md), the officials the
-- registrations named there; Yiwu's head takes over from 2025-05-01.
SELECT issuelist.appoint('Wang Fang', '330782', 'secretary', '2025-01-01'),
       issuelist.appoint('李明', '330106', 'secretary', '2025-01-01'),
       issuelist.add_official('YW0002', 'Zhao Lei'),
       issuelist.appoint('YW0002', '330782', 'head', '2025-01-01'),
       issuelist.appoint('YW0002', '330782', 'secretary', '2025-05-01');
SELECT issuelist.freeze_quarter('2025Q1');
SELECT issuelist.freeze_quarter('2025Q2');
