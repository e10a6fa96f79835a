
-- ---------------------------------------------------------------------------
-- The sample province (docs/sample-province.md): Zhejiang's real hierarchy,
-- and a synthetic, reproducible history of issues on top of it.
-- ---------------------------------------------------------------------------

CREATE FUNCTION load_sample_province() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	added integer;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'load the sample province');
	-- Zhejiang, its 11 cities and its 90 county-level divisions (districts,
	-- counties, county-level cities) as of 2021, with their GB/T 2260 codes:
	-- copied from data/zhejiang-orgs.csv.
	WITH RECURSIVE division (code, name, name_zh, parent, kind) AS (VALUES
	('330000', 'Zhejiang', '浙江省', NULL, 'province'),
	('330100', 'Hangzhou', '杭州市', '330000', 'city'),
	('330102', 'Shangcheng', '上城区', '330100', 'district'),
	('330105', 'Gongshu', '拱墅区', '330100', 'district'),
	('330106', 'Xihu', '西湖区', '330100', 'district'),
	('330108', 'Binjiang', '滨江区', '330100', 'district'),
	('330109', 'Xiaoshan', '萧山区', '330100', 'district'),
	('330110', 'Yuhang', '余杭区', '330100', 'district'),
	('330111', 'Fuyang', '富阳区', '330100', 'district'),
	('330112', 'Lin''an', '临安区', '330100', 'district'),
	('330113', 'Linping', '临平区', '330100', 'district'),
	('330114', 'Qiantang', '钱塘区', '330100', 'district'),
	('330122', 'Tonglu', '桐庐县', '330100', 'county'),
	('330127', 'Chun''an', '淳安县', '330100', 'county'),
	('330182', 'Jiande', '建德市', '330100', 'county-level city'),
	('330200', 'Ningbo', '宁波市', '330000', 'city'),
	('330203', 'Haishu', '海曙区', '330200', 'district'),
	('330205', 'Jiangbei', '江北区', '330200', 'district'),
	('330206', 'Beilun', '北仑区', '330200', 'district'),
	('330211', 'Zhenhai', '镇海区', '330200', 'district'),
	('330212', 'Yinzhou', '鄞州区', '330200', 'district'),
	('330213', 'Fenghua', '奉化区', '330200', 'district'),
	('330225', 'Xiangshan', '象山县', '330200', 'county'),
	('330226', 'Ninghai', '宁海县', '330200', 'county'),
	('330281', 'Yuyao', '余姚市', '330200', 'county-level city'),
	('330282', 'Cixi', '慈溪市', '330200', 'county-level city'),
	('330300', 'Wenzhou', '温州市', '330000', 'city'),
	('330302', 'Lucheng', '鹿城区', '330300', 'district'),
	('330303', 'Longwan', '龙湾区', '330300', 'district'),
	('330304', 'Ouhai', '瓯海区', '330300', 'district'),
	('330305', 'Dongtou', '洞头区', '330300', 'district'),
	('330324', 'Yongjia', '永嘉县', '330300', 'county'),
	('330326', 'Pingyang', '平阳县', '330300', 'county'),
	('330327', 'Cangnan', '苍南县', '330300', 'county'),
	('330328', 'Wencheng', '文成县', '330300', 'county'),
	('330329', 'Taishun', '泰顺县', '330300', 'county'),
	('330381', 'Rui''an', '瑞安市', '330300', 'county-level city'),
	('330382', 'Yueqing', '乐清市', '330300', 'county-level city'),
	('330383', 'Longgang', '龙港市', '330300', 'county-level city'),
	('330400', 'Jiaxing', '嘉兴市', '330000', 'city'),
	('330402', 'Nanhu', '南湖区', '330400', 'district'),
	('330411', 'Xiuzhou', '秀洲区', '330400', 'district'),
	('330421', 'Jiashan', '嘉善县', '330400', 'county'),
	('330424', 'Haiyan', '海盐县', '330400', 'county'),
	('330481', 'Haining', '海宁市', '330400', 'county-level city'),
	('330482', 'Pinghu', '平湖市', '330400', 'county-level city'),
	('330483', 'Tongxiang', '桐乡市', '330400', 'county-level city'),
	('330500', 'Huzhou', '湖州市', '330000', 'city'),
	('330502', 'Wuxing', '吴兴区', '330500', 'district'),
	('330503', 'Nanxun', '南浔区', '330500', 'district'),
	('330521', 'Deqing', '德清县', '330500', 'county'),
	('330522', 'Changxing', '长兴县', '330500', 'county'),
	('330523', 'Anji', '安吉县', '330500', 'county'),
	('330600', 'Shaoxing', '绍兴市', '330000', 'city'),
	('330602', 'Yuecheng', '越城区', '330600', 'district'),
	('330603', 'Keqiao', '柯桥区', '330600', 'district'),
	('330604', 'Shangyu', '上虞区', '330600', 'district'),
	('330624', 'Xinchang', '新昌县', '330600', 'county'),
	('330681', 'Zhuji', '诸暨市', '330600', 'county-level city'),
	('330683', 'Shengzhou', '嵊州市', '330600', 'county-level city'),
	('330700', 'Jinhua', '金华市', '330000', 'city'),
	('330702', 'Wucheng', '婺城区', '330700', 'district'),
	('330703', 'Jindong', '金东区', '330700', 'district'),
	('330723', 'Wuyi', '武义县', '330700', 'county'),
	('330726', 'Pujiang', '浦江县', '330700', 'county'),
	('330727', 'Pan''an', '磐安县', '330700', 'county'),
	('330781', 'Lanxi', '兰溪市', '330700', 'county-level city'),
	('330782', 'Yiwu', '义乌市', '330700', 'county-level city'),
	('330783', 'Dongyang', '东阳市', '330700', 'county-level city'),
	('330784', 'Yongkang', '永康市', '330700', 'county-level city'),
	('330800', 'Quzhou', '衢州市', '330000', 'city'),
	('330802', 'Kecheng', '柯城区', '330800', 'district'),
	('330803', 'Qujiang', '衢江区', '330800', 'district'),
	('330822', 'Changshan', '常山县', '330800', 'county'),
	('330824', 'Kaihua', '开化县', '330800', 'county'),
	('330825', 'Longyou', '龙游县', '330800', 'county'),
	('330881', 'Jiangshan', '江山市', '330800', 'county-level city'),
	('330900', 'Zhoushan', '舟山市', '330000', 'city'),
	('330902', 'Dinghai', '定海区', '330900', 'district'),
	('330903', 'Putuo', '普陀区', '330900', 'district'),
	('330921', 'Daishan', '岱山县', '330900', 'county'),
	('330922', 'Shengsi', '嵊泗县', '330900', 'county'),
	('331000', 'Taizhou', '台州市', '330000', 'city'),
	('331002', 'Jiaojiang', '椒江区', '331000', 'district'),
	('331003', 'Huangyan', '黄岩区', '331000', 'district'),
	('331004', 'Luqiao', '路桥区', '331000', 'district'),
	('331022', 'Sanmen', '三门县', '331000', 'county'),
	('331023', 'Tiantai', '天台县', '331000', 'county'),
	('331024', 'Xianju', '仙居县', '331000', 'county'),
	('331081', 'Wenling', '温岭市', '331000', 'county-level city'),
	('331082', 'Linhai', '临海市', '331000', 'county-level city'),
	('331083', 'Yuhuan', '玉环市', '331000', 'county-level city'),
	('331100', 'Lishui', '丽水市', '330000', 'city'),
	('331102', 'Liandu', '莲都区', '331100', 'district'),
	('331121', 'Qingtian', '青田县', '331100', 'county'),
	('331122', 'Jinyun', '缙云县', '331100', 'county'),
	('331123', 'Suichang', '遂昌县', '331100', 'county'),
	('331124', 'Songyang', '松阳县', '331100', 'county'),
	('331125', 'Yunhe', '云和县', '331100', 'county'),
	('331126', 'Qingyuan', '庆元县', '331100', 'county'),
	('331127', 'Jingning', '景宁畲族自治县', '331100', 'county'),
	('331181', 'Longquan', '龙泉市', '331100', 'county-level city')	), tree AS (
		SELECT d.*, text2ltree(d.code) AS path FROM division d WHERE d.parent IS NULL
		UNION ALL
		SELECT d.*, t.path || text2ltree(d.code) FROM division d JOIN tree t ON d.parent = t.code
	)
	INSERT INTO org (code, name, name_zh, parent, level, kind, path)
		SELECT t.code, t.name, t.name_zh, t.parent,
			   CASE WHEN t.kind IN ('province', 'city') THEN t.kind ELSE 'county' END,
			   t.kind, t.path
		  FROM tree t
		 ORDER BY t.path
		ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS added = ROW_COUNT;
	RETURN added;
END $$;
COMMENT ON FUNCTION load_sample_province() IS
	'add Zhejiang province (330000), its 11 cities and 90 county-level divisions with their GB/T 2260 codes; those already there are left alone; returns how many were added (issuelist_admin)';

-- The generator draws every number from a hash of (seed, n, k) instead of
-- random(): the same seed gives the same data whatever the plan, and each
-- issue n is computed on its own, so the work is one set-based pass.

-- A uniform draw in [0, 1): the k-th number of item n for a seed.
CREATE FUNCTION sample_u(seed integer, n bigint, k integer) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT (hashint8extended(n * 64 + k, seed) & 9007199254740991)::float8
		   / 9007199254740992;
END;
COMMENT ON FUNCTION sample_u(integer, bigint, integer) IS
	'sample generator: a reproducible uniform number in [0, 1), the k-th draw of item n for a seed';

-- A uniform integer from lo to hi: the k-th draw of item n.
CREATE FUNCTION sample_int(seed integer, n bigint, k integer, lo integer, hi integer)
	RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT lo + floor(sample_u(seed, n, k) * (hi - lo + 1))::integer;
END;
COMMENT ON FUNCTION sample_int(integer, bigint, integer, integer, integer) IS
	'sample generator: a reproducible uniform integer from lo to hi, the k-th draw of item n for a seed';

-- The counties of the sample province, numbered by code, each with its
-- quality (how well it works its issues: 0.1 to 0.95) and size.
CREATE FUNCTION sample_counties(seed integer)
	RETURNS TABLE (k bigint, code text, city text, quality float8, weight float8)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.k, c.code, c.parent,
		   0.1 + 0.85 * sample_u(seed, -c.k, 1),
		   0.4 + 1.2 * sample_u(seed, -c.k, 2)
	  FROM (SELECT o.code, o.parent, row_number() OVER (ORDER BY o.code) AS k
			  FROM org o
			 WHERE o.level = 'county' AND o.path <@ '330000') c;
END;
COMMENT ON FUNCTION sample_counties(integer) IS
	'sample generator: the sample province''s counties, numbered, with a quality (0.1 to 0.95) and a size drawn from the seed';

-- The j-th (0, 1, 2) official of the k-th county: a synthetic name.
CREATE FUNCTION sample_official(seed integer, k bigint, j integer) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT (ARRAY['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Yang', 'Huang', 'Zhao',
				  'Wu', 'Zhou', 'Xu', 'Sun'])[1 + (sample_int(seed, -k, 3, 0, 11) + j) % 12]
		|| ' '
		|| (ARRAY['Wei', 'Jian', 'Xiao', 'Guo', 'Hai', 'Zhi', 'Li', 'Yong', 'Jun',
				  'Hong'])[1 + sample_int(seed, -k, 4 + j, 0, 9)]
		|| (ARRAY['ming', 'hua', 'ping', 'qiang', 'lin', 'feng', 'yu', 'bo', 'jie',
				  'hui'])[1 + sample_int(seed, -k, 7 + j, 0, 9)];
END;
COMMENT ON FUNCTION sample_official(integer, bigint, integer) IS
	'sample generator: the synthetic name of the j-th official (0 to 2) of the k-th county';

-- The list of a draw: audit and inspection findings are the most common.
CREATE FUNCTION sample_list_position(u float8) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN u < 0.18 THEN 1 WHEN u < 0.32 THEN 2 WHEN u < 0.44 THEN 3
				WHEN u < 0.64 THEN 4 WHEN u < 0.78 THEN 5 WHEN u < 0.88 THEN 6
				ELSE 7 END;
END;
COMMENT ON FUNCTION sample_list_position(float8) IS
	'sample generator: the position of the list of a draw (18% inspection, 14% supervision, 12% environment, 20% audit, 14% safety, 10% public opinion, 12% complaints)';

-- A synthetic title for an issue of the list at this position.
CREATE FUNCTION sample_title(list_position integer, j integer) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT 'Synthetic: ' || (ARRAY[
		['Party building duties not carried out', 'formalism in grassroots work',
		 'irregular cadre selection', 'earlier inspection findings not rectified'],
		['major project behind schedule', 'policy not implemented on time',
		 'business complaints unresolved', 'land approvals overdue'],
		['illegal sewage discharge', 'dust at construction sites',
		 'river chief duties not performed', 'solid waste stockpile'],
		['special funds left idle', 'irregular procurement',
		 'arrears to contractors', 'spending outside the budget'],
		['gas pipeline hazard', 'blocked fire escapes in a factory',
		 'landslide area not monitored', 'hazardous chemicals storage'],
		['school catering complaint spread online', 'delayed housing delivery reported online',
		 'traffic management criticised online', 'slow response to an online rumour'],
		['repeated petition on land compensation', 'wage arrears complaint',
		 'noise complaint unresolved', 'demolition dispute']])[list_position][j + 1];
END;
COMMENT ON FUNCTION sample_title(integer, integer) IS
	'sample generator: the j-th (0 to 3) synthetic title of the list at a position (1 to 7)';

-- The slots of a synthetic life (1 .. 15), in order; each issue has a
-- subset, with non-decreasing days:
--   1 registered, 2 assigned, 3 rectifying, 4 continuing, 5 extension,
--   6 tolerance, 7 rectified, 8 rectifying (acceptance refused),
--   9 rectified, 10 closed, 11 reopened, 12 rectifying, 13 rectified,
--   14 closed, 15 withdrawn
-- The state after a slot (an extension or a tolerance keeps the state).
CREATE FUNCTION sample_state(slot integer, slots integer[]) RETURNS issue_state
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT (CASE WHEN slot IN (5, 6) AND 4 = ANY (slots) THEN 'continuing'
				 ELSE (ARRAY['registered', 'assigned', 'rectifying', 'continuing',
							 'rectifying', 'rectifying', 'rectified', 'rectifying',
							 'rectified', 'closed', 'reopened', 'rectifying',
							 'rectified', 'closed', 'withdrawn'])[slot] END)::issue_state;
END;
COMMENT ON FUNCTION sample_state(integer, integer[]) IS
	'sample generator: the state of a synthetic issue after a slot of its life';

-- The issue after a slot, as the workflow functions would have left it.
CREATE FUNCTION sample_snapshot(slot integer, slots integer[], d date[],
								due0 date, due1 date, tol_until date)
	RETURNS TABLE (state issue_state, due_on date, reopen_count integer,
				   closed_on date, tolerated_until date)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT sample_state(slot, slots),
		   CASE WHEN 5 = ANY (slots) AND slot BETWEEN 5 AND 14 THEN due1 ELSE due0 END,
		   CASE WHEN slot BETWEEN 11 AND 14 THEN 1 ELSE 0 END,
		   CASE WHEN slot IN (10, 14, 15) THEN d[slot] END,
		   CASE WHEN 6 = ANY (slots) AND slot BETWEEN 6 AND 14
				THEN coalesce(tol_until, 'infinity') END;
END;
COMMENT ON FUNCTION sample_snapshot(integer, integer[], date[], date, date, date) IS
	'sample generator: the snapshot (state, due day, reopen count, closed day, tolerance) of a synthetic issue after a slot of its life';

-- One row per synthetic issue n: who, what, and the slots and days of its
-- life.  Each level of subqueries computes its columns once (OFFSET 0
-- keeps the planner from copying expressions into every use).
CREATE FUNCTION sample_plan(from_q quarter, to_q quarter, per_quarter integer,
							seed integer, cutoff date, base_id bigint,
							base_number bigint)
	RETURNS TABLE (id bigint, code text, list text, org text, city text,
				   official text, title text, severity severity, origin text,
				   found_on date, due0 date, due1 date, slots integer[],
				   d date[], tol_until date, last_slot integer)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	WITH county_share AS (
		SELECT c.*, coalesce(lag(c.hi) OVER (ORDER BY c.k), 0) AS lo
		  FROM (SELECT c.*, sum(c.weight) OVER (ORDER BY c.k) / sum(c.weight) OVER () AS hi
				  FROM sample_counties(seed) c) c
	), county_slot AS (
		-- 1024 slots shared out by size: a draw picks a slot, a slot a county.
		SELECT s.slot, c.k, c.code, c.city, c.quality
		  FROM generate_series(0, 1023) s(slot)
		  JOIN county_share c ON (s.slot + 0.5) / 1024 >= c.lo
							 AND (s.slot + 0.5) / 1024 < c.hi
	)
	SELECT base_id + p.n - 1,
		   issue_code(p.prefix, extract(year FROM p.found)::integer, base_number + p.n),
		   p.list, p.org, p.city, p.official, p.title, p.severity, p.origin,
		   p.found, p.due0, p.due1, p.slots, p.d, p.tol_until,
		   (SELECT max(s) FROM unnest(p.slots) s WHERE p.d[s] <= cutoff)
	  FROM (
		-- The slots of its life, and their days.
		SELECT t.*,
			   CASE WHEN t.withdrawn
					THEN array_remove(ARRAY[1, CASE WHEN t.withdraw_assigned THEN 2 END, 15], NULL)
					ELSE array_remove(ARRAY[1, 2, 3,
							CASE WHEN t.has_cont THEN 4 END,
							CASE WHEN t.has_ext THEN 5 END,
							CASE WHEN t.has_tol THEN 6 END,
							CASE WHEN t.has_refuse THEN 7 END,
							CASE WHEN t.has_refuse THEN 8 END,
							9, 10,
							CASE WHEN t.has_reopen THEN 11 END,
							CASE WHEN t.has_reopen THEN 12 END,
							CASE WHEN t.has_reopen THEN 13 END,
							CASE WHEN t.has_reopen THEN 14 END], NULL) END AS slots,
			   ARRAY[t.found, t.d2, t.d3,
					 t.d3 + (t.span * 0.2)::integer, t.d3 + (t.span * 0.4)::integer,
					 t.d3 + (t.span * 0.5)::integer, t.d3 + (t.span * 0.6)::integer,
					 t.d3 + (t.span * 0.7)::integer, t.tr, t.d10, t.d11, t.d11 + t.restart_after,
					 t.d11 + t.restart_after + t.redo,
					 t.d11 + t.restart_after + t.redo + t.reverify,
					 CASE WHEN t.withdraw_assigned THEN t.d2 ELSE t.found END + t.withdraw_after
					] AS d,
			   CASE WHEN NOT t.tol_for_ever
					THEN t.d3 + (t.span * 0.5)::integer + t.tol_days END AS tol_until
		  FROM (
			SELECT r.*, r.tr - r.d3 AS span, r.tr + r.verify AS d10,
				   r.tr + r.verify + r.reopen_after AS d11
			  FROM (
				-- Rectified in time for the verifier to close it by the due
				-- day when on time; after it when late.
				SELECT a.*,
					   CASE WHEN a.on_time
							THEN a.d3 + (a.u_rectify * greatest(a.due - a.verify - a.d3, 0))::integer
							ELSE greatest(a.due - a.verify, a.d3) + a.late_days END AS tr
				  FROM (
					SELECT b.*, b.found + b.assign_after AS d2,
						   b.found + b.assign_after + b.start_after AS d3,
						   b.found + b.days AS due0,
						   b.found + b.days + b.ext_days AS due1,
						   b.found + b.days + CASE WHEN b.has_ext THEN b.ext_days ELSE 0 END AS due
					  FROM (
						-- The draws.  Better counties report more themselves,
						-- finish on time more often, and have fewer refusals,
						-- reopenings and withdrawals.
						SELECT g.n, cs.code AS org, cs.city, l.code AS list, l.prefix,
							   lower(g.q) + sample_int(seed, g.n, 1, 0, upper(g.q) - lower(g.q)) AS found,
							   v.severity, v.origin,
							   coalesce(dp.days, default_deadline_days(v.severity)) AS days,
							   sample_official(seed, cs.k, sample_int(seed, g.n, 6, 0, 2)) AS official,
							   sample_title(l.position, sample_int(seed, g.n, 27, 0, 3)) AS title,
							   sample_u(seed, g.n, 7) < 0.03 + 0.04 * (1 - cs.quality) AS withdrawn,
							   sample_u(seed, g.n, 8) < 0.5 AS withdraw_assigned,
							   sample_int(seed, g.n, 25, 1, 20) AS withdraw_after,
							   sample_int(seed, g.n, 9, 0, 6) AS assign_after,
							   sample_int(seed, g.n, 10, 0, 9) AS start_after,
							   sample_u(seed, g.n, 11) < 0.10 AS has_ext,
							   sample_int(seed, g.n, 12, 30, 90) AS ext_days,
							   sample_u(seed, g.n, 13) < CASE WHEN v.severity >= 'major' THEN 0.20 ELSE 0.05 END AS has_cont,
							   sample_u(seed, g.n, 14) < 0.025 AS has_tol,
							   sample_u(seed, g.n, 24) < 0.3 AS tol_for_ever,
							   sample_int(seed, g.n, 28, 60, 300) AS tol_days,
							   sample_u(seed, g.n, 15) < 0.40 + 0.55 * cs.quality AS on_time,
							   sample_int(seed, g.n, 16, 1, 14) AS verify,
							   sample_u(seed, g.n, 17) AS u_rectify,
							   sample_int(seed, g.n, 26, 1, 15 + (150 * (1 - cs.quality))::integer) AS late_days,
							   sample_u(seed, g.n, 18) < 0.03 + 0.12 * (1 - cs.quality) AS has_refuse,
							   sample_u(seed, g.n, 19) < 0.01 + 0.09 * (1 - cs.quality) AS has_reopen,
							   sample_int(seed, g.n, 20, 30, 180) AS reopen_after,
							   sample_int(seed, g.n, 21, 1, 10) AS restart_after,
							   sample_int(seed, g.n, 22, 15, 75) AS redo,
							   sample_int(seed, g.n, 23, 1, 14) AS reverify
						  FROM (SELECT n, from_q + ((n - 1) / per_quarter)::integer AS q
								  FROM generate_series(1::bigint, per_quarter::bigint * (to_q - from_q + 1)) n) g
						  JOIN county_slot cs ON cs.slot = sample_int(seed, g.n, 2, 0, 1023)
						  CROSS JOIN LATERAL (
							-- Many general issues, few critical; most found by
							-- others, a few hidden.
							SELECT severity(CASE WHEN x.s < 0.04 THEN 4 WHEN x.s < 0.16 THEN 3
												 WHEN x.s < 0.42 THEN 2 ELSE 1 END) AS severity,
								   CASE WHEN x.o < 0.15 + 0.45 * cs.quality THEN 'self'
										WHEN x.o > 0.985 - 0.07 * (1 - cs.quality) THEN 'concealed'
										ELSE 'external' END AS origin,
								   x.l
							  FROM (SELECT sample_u(seed, g.n, 4) AS s, sample_u(seed, g.n, 5) AS o,
										   sample_u(seed, g.n, 3) AS l OFFSET 0) x) v
						  JOIN list l ON l.position = sample_list_position(v.l)
						  LEFT JOIN deadline_policy dp ON dp.list = l.code AND dp.severity = v.severity
						OFFSET 0) b
					OFFSET 0) a
				OFFSET 0) r
			OFFSET 0) t
		OFFSET 0) p
	 WHERE p.found <= cutoff;
END;
COMMENT ON FUNCTION sample_plan(quarter, quarter, integer, integer, date, bigint, bigint) IS
	'sample generator: one row per synthetic issue with the slots and days of its life';

REVOKE ALL ON FUNCTION load_sample_province() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION load_sample_province() TO issuelist_admin;
