-- The 「好家风·好家训」 contest (issue #7): works, 查重, rounds as a state machine per category,
-- judges, approval ballots, run-offs, the shortlist, expert scores, awards by tier, 公示 and
-- objections. Every rule that keeps the contest fair is a constraint or a trigger here, so no
-- path (window, command line, import) can get round it; the service functions in
-- store/contest check the same rules first to give better messages.

-- Per category: where it is in the state machine, and its rules.
CREATE TABLE contest_category (
    category     TEXT PRIMARY KEY CONSTRAINT "类别只能是家风家训或家风家训故事"
                     CHECK (category IN ('家风家训', '家风家训故事')),
    state        TEXT NOT NULL DEFAULT '征集',
    min_chars    INTEGER NOT NULL CONSTRAINT "字数下限须大于0" CHECK (min_chars > 0),
    max_chars    INTEGER NOT NULL,
    shortlist    INTEGER NOT NULL CONSTRAINT "入围名额须大于0" CHECK (shortlist > 0),
    ballot_quota INTEGER NOT NULL CONSTRAINT "每张选票限选数须大于0" CHECK (ballot_quota > 0),
    CONSTRAINT "字数下限不能大于上限" CHECK (min_chars <= max_chars)
);
INSERT INTO contest_category (category, min_chars, max_chars, shortlist, ballot_quota) VALUES
    ('家风家训', 4, 50, 100, 100),
    ('家风家训故事', 300, 1500, 20, 20);

CREATE TRIGGER contest_category_limits_while_collecting BEFORE UPDATE OF min_chars, max_chars ON contest_category
WHEN (NEW.min_chars IS NOT OLD.min_chars OR NEW.max_chars IS NOT OLD.max_chars) AND OLD.state <> '征集'
BEGIN
    SELECT RAISE(ABORT, '作品征集已结束，不能再修改字数限制');
END;
CREATE TRIGGER contest_category_quotas_before_judging BEFORE UPDATE OF shortlist, ballot_quota ON contest_category
WHEN (NEW.shortlist IS NOT OLD.shortlist OR NEW.ballot_quota IS NOT OLD.ballot_quota)
     AND OLD.state NOT IN ('征集', '查重')
BEGIN
    SELECT RAISE(ABORT, '初评已经开始，不能再修改入围名额和限选数');
END;

-- The moves of the state machine (domain::contest::RoundState::transitions, kept equal by a
-- test). A reopen goes back and needs a reason.
CREATE TABLE contest_transition (
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('推进', '重开')),
    PRIMARY KEY (from_state, to_state)
);
INSERT INTO contest_transition (from_state, to_state, kind) VALUES
    ('征集', '查重', '推进'),
    ('查重', '初评进行中', '推进'),
    ('初评进行中', '初评结束', '推进'),
    ('初评结束', '决选', '推进'),
    ('初评结束', '入围确定', '推进'),
    ('决选', '入围确定', '推进'),
    ('入围确定', '终审进行中', '推进'),
    ('终审进行中', '终审结束', '推进'),
    ('终审结束', '公示', '推进'),
    ('公示', '发布', '推进'),
    ('查重', '征集', '重开'),
    ('初评进行中', '查重', '重开'),
    ('初评结束', '初评进行中', '重开'),
    ('终审结束', '终审进行中', '重开'),
    ('公示', '终审结束', '重开');
CREATE TRIGGER contest_transition_fixed_update BEFORE UPDATE ON contest_transition
BEGIN
    SELECT RAISE(ABORT, '评选流程不能修改');
END;
CREATE TRIGGER contest_transition_fixed_insert BEFORE INSERT ON contest_transition
BEGIN
    SELECT RAISE(ABORT, '评选流程不能修改');
END;
CREATE TRIGGER contest_transition_fixed_delete BEFORE DELETE ON contest_transition
BEGIN
    SELECT RAISE(ABORT, '评选流程不能修改');
END;

-- Every move of a category, by whom, when and why. Inserting a row is the only way to move:
-- it is checked against the table of moves, then sets the category's state.
CREATE TABLE contest_state_log (
    id         INTEGER PRIMARY KEY,
    category   TEXT NOT NULL REFERENCES contest_category(category),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    CONSTRAINT "重开须写明理由" CHECK (kind <> '重开' OR length(trim(reason)) > 0)
);
CREATE INDEX contest_state_log_category ON contest_state_log(category, id);
CREATE TRIGGER contest_state_log_from_current BEFORE INSERT ON contest_state_log
WHEN NEW.from_state IS NOT (SELECT state FROM contest_category WHERE category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '评选阶段已变化，请刷新后再操作');
END;
CREATE TRIGGER contest_state_log_allowed BEFORE INSERT ON contest_state_log
WHEN NOT EXISTS (SELECT 1 FROM contest_transition
                 WHERE from_state = NEW.from_state AND to_state = NEW.to_state AND kind = NEW.kind)
BEGIN
    SELECT RAISE(ABORT, '评选阶段不能这样变更（只能按流程推进，回退须以重开登记理由）');
END;
CREATE TRIGGER contest_state_log_reopen_screening_before_votes BEFORE INSERT ON contest_state_log
WHEN NEW.from_state = '初评进行中' AND NEW.to_state = '查重'
 AND EXISTS (SELECT 1 FROM contest_ballot b JOIN contest_round r ON r.id = b.round_id WHERE r.category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '已有评委投票，不能退回查重阶段');
END;
CREATE TRIGGER contest_state_log_reopen_final_before_awards BEFORE INSERT ON contest_state_log
WHEN NEW.from_state = '终审结束' AND NEW.to_state = '终审进行中'
 AND EXISTS (SELECT 1 FROM contest_award WHERE category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '已经授奖，不能重开终审；请先撤下奖项');
END;
CREATE TRIGGER contest_state_log_moves AFTER INSERT ON contest_state_log
BEGIN
    UPDATE contest_category SET state = NEW.to_state WHERE category = NEW.category;
END;
CREATE TRIGGER contest_state_log_no_update BEFORE UPDATE ON contest_state_log
BEGIN
    SELECT RAISE(ABORT, '评选阶段记录不能修改');
END;
CREATE TRIGGER contest_state_log_no_delete BEFORE DELETE ON contest_state_log
BEGIN
    SELECT RAISE(ABORT, '评选阶段记录不能删除');
END;
CREATE TRIGGER contest_category_state_only_by_log BEFORE UPDATE OF state ON contest_category
WHEN NEW.state IS NOT OLD.state
     AND NEW.state IS NOT (SELECT to_state FROM contest_state_log WHERE category = NEW.category ORDER BY id DESC LIMIT 1)
BEGIN
    SELECT RAISE(ABORT, '评选阶段只能由管理员按流程变更，并记入日志');
END;

-- A work. The author's name and phone are in `author` and `author_phone`, which judges and
-- experts read as NULL. Never deleted: withdrawn, merged or excluded by 查重, or
-- disqualified in 公示, with the reason.
CREATE TABLE contest_work (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CONSTRAINT "作品编号不能为空" CHECK (length(trim(code)) > 0),
    category      TEXT NOT NULL REFERENCES contest_category(category),
    title         TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL CONSTRAINT "作品内容不能为空" CHECK (length(trim(content)) > 0),
    author        TEXT NOT NULL CONSTRAINT "作者不能为空" CHECK (length(trim(author)) > 0),
    author_phone  TEXT NOT NULL DEFAULT '',
    unit_id       INTEGER NOT NULL REFERENCES unit(id),
    submitted_on  TEXT NOT NULL CONSTRAINT "提交日期格式应为 YYYY-MM-DD" CHECK (date(submitted_on) = submitted_on),
    status        TEXT NOT NULL DEFAULT '有效' CONSTRAINT "作品状态只能是有效、已撤回、已合并、已排除或取消资格"
                      CHECK (status IN ('有效', '已撤回', '已合并', '已排除', '取消资格')),
    status_reason TEXT NOT NULL DEFAULT '',
    merged_into   INTEGER REFERENCES contest_work(id),
    entered_at    TEXT NOT NULL,
    CONSTRAINT "合并的作品须注明并入哪件作品" CHECK ((status = '已合并') = (merged_into IS NOT NULL)),
    CONSTRAINT "撤回、排除或取消资格须注明原因" CHECK (status IN ('有效', '已合并') OR length(trim(status_reason)) > 0)
);
CREATE INDEX contest_work_category ON contest_work(category, status);
CREATE INDEX contest_work_unit ON contest_work(unit_id);

-- Length as contests count it: every character but spaces, tabs and line breaks.
CREATE VIEW contest_work_length AS
SELECT id, length(replace(replace(replace(replace(replace(replace(content, ' ', ''), char(9), ''), char(10), ''),
                                            char(13), ''), char(12288), ''), char(160), '')) AS chars
FROM contest_work;

CREATE TRIGGER contest_work_while_collecting BEFORE INSERT ON contest_work
WHEN (SELECT state FROM contest_category WHERE category = NEW.category) IS NOT '征集'
BEGIN
    SELECT RAISE(ABORT, '该类别的作品征集已结束，不能再录入作品');
END;
CREATE TRIGGER contest_work_length_on_insert AFTER INSERT ON contest_work
WHEN (SELECT chars FROM contest_work_length WHERE id = NEW.id)
     NOT BETWEEN (SELECT min_chars FROM contest_category WHERE category = NEW.category)
             AND (SELECT max_chars FROM contest_category WHERE category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '作品字数不符合该类别的字数要求');
END;
CREATE TRIGGER contest_work_length_on_update AFTER UPDATE OF content, category ON contest_work
WHEN (SELECT chars FROM contest_work_length WHERE id = NEW.id)
     NOT BETWEEN (SELECT min_chars FROM contest_category WHERE category = NEW.category)
             AND (SELECT max_chars FROM contest_category WHERE category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '作品字数不符合该类别的字数要求');
END;
CREATE TRIGGER contest_work_frozen_after_collecting BEFORE UPDATE OF code, category, title, content, author, author_phone,
    unit_id, submitted_on ON contest_work
WHEN (NEW.code IS NOT OLD.code OR NEW.category IS NOT OLD.category OR NEW.title IS NOT OLD.title
      OR NEW.content IS NOT OLD.content OR NEW.author IS NOT OLD.author OR NEW.author_phone IS NOT OLD.author_phone
      OR NEW.unit_id IS NOT OLD.unit_id OR NEW.submitted_on IS NOT OLD.submitted_on)
     AND ((SELECT state FROM contest_category WHERE category = OLD.category) IS NOT '征集'
          OR (SELECT state FROM contest_category WHERE category = NEW.category) IS NOT '征集')
BEGIN
    SELECT RAISE(ABORT, '作品已进入查重或评审，不能再修改');
END;
-- Withdrawn while collecting or screening; merged or excluded while screening; disqualified
-- during 公示; back to 有效 only while screening (a 查重 decision undone).
CREATE TRIGGER contest_work_status_by_stage BEFORE UPDATE OF status ON contest_work
WHEN NEW.status IS NOT OLD.status AND NOT (
    SELECT CASE NEW.status
               WHEN '已撤回' THEN state IN ('征集', '查重')
               WHEN '有效' THEN state IN ('征集', '查重')
               WHEN '已合并' THEN state = '查重'
               WHEN '已排除' THEN state = '查重'
               WHEN '取消资格' THEN state = '公示'
               ELSE 0
           END
    FROM contest_category WHERE category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '当前评选阶段不能更改作品状态（撤回只能在征集或查重阶段，合并、排除只能在查重阶段，取消资格只能在公示期间）');
END;
CREATE TRIGGER contest_work_no_delete BEFORE DELETE ON contest_work
BEGIN
    SELECT RAISE(ABORT, '参评作品不能删除，只能撤回');
END;

-- 查重: a flagged pair, the earlier submission first, and the decision on it: 保留 (both
-- stay: an inherited saying), 合并 (the same work twice: the other is merged into the kept
-- one) or 排除 (the other is excluded). The earlier one is kept unless the decision says
-- otherwise.
CREATE TABLE contest_screening (
    id          INTEGER PRIMARY KEY,
    category    TEXT NOT NULL REFERENCES contest_category(category),
    earlier_id  INTEGER NOT NULL REFERENCES contest_work(id),
    later_id    INTEGER NOT NULL REFERENCES contest_work(id),
    kind        TEXT NOT NULL CHECK (kind IN ('完全相同', '高度相似')),
    percent     INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    screened_at TEXT NOT NULL,
    decision    TEXT CONSTRAINT "查重处理只能是保留、合并或排除" CHECK (decision IS NULL OR decision IN ('保留', '合并', '排除')),
    kept_id     INTEGER REFERENCES contest_work(id),
    note        TEXT NOT NULL DEFAULT '',
    decided_by  TEXT,
    decided_at  TEXT,
    UNIQUE (earlier_id, later_id),
    CONSTRAINT "合并或排除须指明保留两件中的哪一件" CHECK (
        CASE WHEN decision IN ('合并', '排除') THEN kept_id IN (earlier_id, later_id) ELSE kept_id IS NULL END),
    CONSTRAINT "查重处理须记录处理人和时间" CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (decided_by IS NULL))
);
CREATE INDEX contest_screening_category ON contest_screening(category, decision);
CREATE TRIGGER contest_screening_while_screening_insert BEFORE INSERT ON contest_screening
WHEN (SELECT state FROM contest_category WHERE category = NEW.category) IS NOT '查重'
BEGIN
    SELECT RAISE(ABORT, '只有在查重阶段才能登记或处理疑似重复作品');
END;
CREATE TRIGGER contest_screening_while_screening_update BEFORE UPDATE ON contest_screening
WHEN (SELECT state FROM contest_category WHERE category = OLD.category) IS NOT '查重'
BEGIN
    SELECT RAISE(ABORT, '只有在查重阶段才能登记或处理疑似重复作品');
END;
CREATE TRIGGER contest_screening_keeps_decisions BEFORE DELETE ON contest_screening
WHEN OLD.decision IS NOT NULL OR (SELECT state FROM contest_category WHERE category = OLD.category) IS NOT '查重'
BEGIN
    SELECT RAISE(ABORT, '已处理的查重记录不能删除');
END;

-- Judges of the initial round and experts of the final round; each belongs to a unit (whose
-- works they do not judge) and logs in with an account made when their login slip is printed.
CREATE TABLE contest_judge (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CONSTRAINT "评委姓名不能为空" CHECK (length(trim(name)) > 0),
    unit_id    INTEGER NOT NULL REFERENCES unit(id),
    title      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL CONSTRAINT "评委角色只能是初评评委或终审专家" CHECK (role IN ('初评评委', '终审专家')),
    account_id INTEGER UNIQUE REFERENCES account(id),
    created_at TEXT NOT NULL,
    UNIQUE (role, name)
);
CREATE TRIGGER contest_judge_fixed_once_judging BEFORE UPDATE OF unit_id, role, name ON contest_judge
WHEN (NEW.unit_id IS NOT OLD.unit_id OR NEW.role IS NOT OLD.role OR NEW.name IS NOT OLD.name)
     AND EXISTS (SELECT 1 FROM contest_round_judge WHERE judge_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, '该评委已参加评审轮次，姓名、单位和角色不能再修改');
END;
CREATE TRIGGER contest_judge_no_delete BEFORE DELETE ON contest_judge
WHEN EXISTS (SELECT 1 FROM contest_round_judge WHERE judge_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, '该评委已参加评审轮次，不能删除');
END;

-- A ballot round: the initial round (初评), a run-off among works tied at the cut-off (决选 n)
-- or the final round (终审). `quota` is the most votes a ballot may carry, `places` what the
-- round fills. At closing the hash of all its ballots is kept for the tally sheets.
CREATE TABLE contest_round (
    id           INTEGER PRIMARY KEY,
    category     TEXT NOT NULL REFERENCES contest_category(category),
    kind         TEXT NOT NULL CHECK (kind IN ('初评', '决选', '终审')),
    seq          INTEGER NOT NULL DEFAULT 1,
    quota        INTEGER CONSTRAINT "限选数须大于0" CHECK (quota IS NULL OR quota > 0),
    places       INTEGER CONSTRAINT "名额须大于0" CHECK (places IS NULL OR places > 0),
    opened_at    TEXT NOT NULL,
    closed_at    TEXT,
    ballots_hash TEXT,
    UNIQUE (category, kind, seq),
    CONSTRAINT "投票轮次的限选数须大于0" CHECK (kind = '终审' OR quota IS NOT NULL),
    CONSTRAINT "关闭轮次须记录全部选票的哈希" CHECK ((closed_at IS NULL) = (ballots_hash IS NULL))
);
CREATE TRIGGER contest_round_no_delete BEFORE DELETE ON contest_round
BEGIN
    SELECT RAISE(ABORT, '评审轮次不能删除');
END;

-- Who judges in a round: the judges (or experts) registered when it opened.
CREATE TABLE contest_round_judge (
    round_id INTEGER NOT NULL REFERENCES contest_round(id),
    judge_id INTEGER NOT NULL REFERENCES contest_judge(id),
    PRIMARY KEY (round_id, judge_id)
);

-- The works of a run-off: the tie band it resolves.
CREATE TABLE contest_runoff_work (
    round_id INTEGER NOT NULL REFERENCES contest_round(id),
    work_id  INTEGER NOT NULL REFERENCES contest_work(id),
    PRIMARY KEY (round_id, work_id)
);

-- Whether a round is open for votes: open in the round table and its category in the
-- matching state.
CREATE VIEW contest_open_round AS
SELECT r.* FROM contest_round r JOIN contest_category c ON c.category = r.category
WHERE r.closed_at IS NULL
  AND c.state = CASE r.kind WHEN '初评' THEN '初评进行中' WHEN '决选' THEN '决选' ELSE '终审进行中' END;

-- One ballot per judge per round (approval voting). A judge saves drafts and submits once;
-- a submitted ballot never changes. A paper ballot keyed in by the administrator that
-- carries more votes than the quota is void as a whole, never truncated.
CREATE TABLE contest_ballot (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES contest_round(id),
    judge_id     INTEGER NOT NULL REFERENCES contest_judge(id),
    paper        INTEGER NOT NULL DEFAULT 0 CHECK (paper IN (0, 1)),
    entered_by   TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    submitted_at TEXT,
    void         INTEGER NOT NULL DEFAULT 0 CHECK (void IN (0, 1)),
    UNIQUE (round_id, judge_id),
    CONSTRAINT "只有已提交的纸质选票可以作废" CHECK (void = 0 OR (paper = 1 AND submitted_at IS NOT NULL))
);
CREATE TRIGGER contest_ballot_in_open_round BEFORE INSERT ON contest_ballot
WHEN NOT EXISTS (SELECT 1 FROM contest_open_round WHERE id = NEW.round_id AND kind IN ('初评', '决选'))
BEGIN
    SELECT RAISE(ABORT, '本轮投票未开启或已结束，不能投票');
END;
CREATE TRIGGER contest_ballot_by_a_judge_of_the_round BEFORE INSERT ON contest_ballot
WHEN NOT EXISTS (SELECT 1 FROM contest_round_judge WHERE round_id = NEW.round_id AND judge_id = NEW.judge_id)
BEGIN
    SELECT RAISE(ABORT, '该评委不是本轮的评委');
END;
CREATE TRIGGER contest_ballot_submitted_is_final BEFORE UPDATE ON contest_ballot
WHEN OLD.submitted_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '选票已提交，不能再修改');
END;
CREATE TRIGGER contest_ballot_update_in_open_round BEFORE UPDATE ON contest_ballot
WHEN OLD.submitted_at IS NULL AND NOT EXISTS (SELECT 1 FROM contest_open_round WHERE id = OLD.round_id)
BEGIN
    SELECT RAISE(ABORT, '本轮投票未开启或已结束，不能投票');
END;
CREATE TRIGGER contest_ballot_keys_fixed BEFORE UPDATE OF round_id, judge_id, paper ON contest_ballot
WHEN NEW.round_id IS NOT OLD.round_id OR NEW.judge_id IS NOT OLD.judge_id OR NEW.paper IS NOT OLD.paper
BEGIN
    SELECT RAISE(ABORT, '选票的轮次、评委和形式不能更改');
END;
-- Submitting: an online ballot within the quota; a paper ballot void exactly when over it.
CREATE TRIGGER contest_ballot_void_exactly_when_over_quota BEFORE UPDATE OF submitted_at, void ON contest_ballot
WHEN NEW.submitted_at IS NOT NULL AND OLD.submitted_at IS NULL
     AND NEW.void IS NOT ((SELECT count(*) FROM contest_vote WHERE ballot_id = NEW.id)
                          > (SELECT quota FROM contest_round WHERE id = NEW.round_id))
BEGIN
    SELECT RAISE(ABORT, '选票超出限选数：网上选票不能提交，纸质选票须整张作废');
END;
CREATE TRIGGER contest_ballot_no_delete BEFORE DELETE ON contest_ballot
BEGIN
    SELECT RAISE(ABORT, '选票不能删除');
END;

-- A vote: one work ticked on one ballot, at most once.
CREATE TABLE contest_vote (
    id        INTEGER PRIMARY KEY,
    ballot_id INTEGER NOT NULL REFERENCES contest_ballot(id),
    work_id   INTEGER NOT NULL REFERENCES contest_work(id),
    UNIQUE (ballot_id, work_id)
);
CREATE INDEX contest_vote_work ON contest_vote(work_id);
CREATE TRIGGER contest_vote_ballot_not_submitted BEFORE INSERT ON contest_vote
WHEN (SELECT submitted_at FROM contest_ballot WHERE id = NEW.ballot_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '选票已提交，不能再修改');
END;
CREATE TRIGGER contest_vote_in_open_round BEFORE INSERT ON contest_vote
WHEN (SELECT submitted_at FROM contest_ballot WHERE id = NEW.ballot_id) IS NULL AND NOT EXISTS (SELECT 1 FROM contest_open_round r JOIN contest_ballot b ON b.round_id = r.id WHERE b.id = NEW.ballot_id)
BEGIN
    SELECT RAISE(ABORT, '本轮投票未开启或已结束，不能投票');
END;
CREATE TRIGGER contest_vote_work_in_the_round BEFORE INSERT ON contest_vote
WHEN NOT EXISTS (
    SELECT 1 FROM contest_ballot b JOIN contest_round r ON r.id = b.round_id JOIN contest_work w ON w.id = NEW.work_id
    WHERE b.id = NEW.ballot_id AND w.category = r.category AND w.status = '有效'
      AND (r.kind = '初评' OR EXISTS (SELECT 1 FROM contest_runoff_work x WHERE x.round_id = r.id AND x.work_id = w.id)))
BEGIN
    SELECT RAISE(ABORT, '该作品不在本轮评选范围内');
END;
CREATE TRIGGER contest_vote_not_own_unit BEFORE INSERT ON contest_vote
WHEN (SELECT unit_id FROM contest_work WHERE id = NEW.work_id)
     = (SELECT j.unit_id FROM contest_ballot b JOIN contest_judge j ON j.id = b.judge_id WHERE b.id = NEW.ballot_id)
BEGIN
    SELECT RAISE(ABORT, '不能给本单位的作品投票（回避）');
END;
CREATE TRIGGER contest_vote_within_quota BEFORE INSERT ON contest_vote
WHEN (SELECT paper FROM contest_ballot WHERE id = NEW.ballot_id) = 0
     AND (SELECT count(*) FROM contest_vote WHERE ballot_id = NEW.ballot_id)
         >= (SELECT r.quota FROM contest_ballot b JOIN contest_round r ON r.id = b.round_id WHERE b.id = NEW.ballot_id)
BEGIN
    SELECT RAISE(ABORT, '已选满本轮限选数，不能再选');
END;
CREATE TRIGGER contest_vote_no_update BEFORE UPDATE ON contest_vote
BEGIN
    SELECT RAISE(ABORT, '投票记录不能修改');
END;
CREATE TRIGGER contest_vote_unticked_only_in_a_draft BEFORE DELETE ON contest_vote
WHEN (SELECT submitted_at FROM contest_ballot WHERE id = OLD.ballot_id) IS NOT NULL
  OR NOT EXISTS (SELECT 1 FROM contest_open_round r JOIN contest_ballot b ON b.round_id = r.id WHERE b.id = OLD.ballot_id)
BEGIN
    SELECT RAISE(ABORT, '选票已提交或本轮投票已结束，不能再修改');
END;

-- How a tie band at a round's cut-off was resolved: a run-off for the places left, or all
-- the tied works admitted, with a written reason.
CREATE TABLE contest_tie_resolution (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL UNIQUE REFERENCES contest_round(id),
    method          TEXT NOT NULL CHECK (method IN ('决选', '全部入围')),
    runoff_round_id INTEGER REFERENCES contest_round(id),
    band            TEXT NOT NULL,
    places          INTEGER NOT NULL CHECK (places > 0),
    reason          TEXT NOT NULL DEFAULT '',
    decided_by      TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    CONSTRAINT "决选须对应一个决选轮次" CHECK ((method = '决选') = (runoff_round_id IS NOT NULL)),
    CONSTRAINT "全部入围须写明理由" CHECK (method <> '全部入围' OR length(trim(reason)) > 0)
);
CREATE TRIGGER contest_tie_resolution_after_closing BEFORE INSERT ON contest_tie_resolution
WHEN (SELECT closed_at FROM contest_round WHERE id = NEW.round_id) IS NULL
BEGIN
    SELECT RAISE(ABORT, '轮次结束后才能处理并列');
END;
CREATE TRIGGER contest_tie_resolution_no_update BEFORE UPDATE ON contest_tie_resolution
BEGIN
    SELECT RAISE(ABORT, '并列的处理决定不能修改');
END;
CREATE TRIGGER contest_tie_resolution_no_delete BEFORE DELETE ON contest_tie_resolution
BEGIN
    SELECT RAISE(ABORT, '并列的处理决定不能删除');
END;

-- The confirmed shortlist: written once when the administrator confirms it, frozen after.
CREATE TABLE contest_shortlist (
    work_id      INTEGER PRIMARY KEY REFERENCES contest_work(id),
    category     TEXT NOT NULL REFERENCES contest_category(category),
    votes        INTEGER NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('初评', '决选', '全部入围')),
    confirmed_at TEXT NOT NULL
);
CREATE TRIGGER contest_shortlist_when_confirming BEFORE INSERT ON contest_shortlist
WHEN (SELECT state FROM contest_category WHERE category = NEW.category) NOT IN ('初评结束', '决选')
  OR (SELECT category FROM contest_work WHERE id = NEW.work_id) IS NOT NEW.category
  OR (SELECT status FROM contest_work WHERE id = NEW.work_id) IS NOT '有效'
BEGIN
    SELECT RAISE(ABORT, '入围名单只能在初评结束后确定一次，且只含本类别的有效作品');
END;
CREATE TRIGGER contest_shortlist_within_places BEFORE INSERT ON contest_shortlist
WHEN (SELECT count(*) FROM contest_shortlist WHERE category = NEW.category)
     >= (SELECT shortlist FROM contest_category WHERE category = NEW.category)
 AND NOT EXISTS (SELECT 1 FROM contest_tie_resolution t JOIN contest_round r ON r.id = t.round_id
                 WHERE r.category = NEW.category AND t.method = '全部入围')
BEGIN
    SELECT RAISE(ABORT, '入围作品超过名额（只有经登记理由的“全部入围”可以超出）');
END;
CREATE TRIGGER contest_shortlist_no_update BEFORE UPDATE ON contest_shortlist
BEGIN
    SELECT RAISE(ABORT, '入围名单已确定，不能更改');
END;
CREATE TRIGGER contest_shortlist_no_delete BEFORE DELETE ON contest_shortlist
BEGIN
    SELECT RAISE(ABORT, '入围名单已确定，不能更改');
END;
CREATE TRIGGER contest_state_log_shortlist_first BEFORE INSERT ON contest_state_log
WHEN NEW.to_state = '入围确定' AND NOT EXISTS (SELECT 1 FROM contest_shortlist WHERE category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '入围名单尚未确定');
END;

-- Final round: an expert's score for a shortlisted work, 0–100. An expert saves drafts and
-- submits all their scores at once, after scoring every work they are not recused from.
CREATE TABLE contest_score (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES contest_round(id),
    judge_id     INTEGER NOT NULL REFERENCES contest_judge(id),
    work_id      INTEGER NOT NULL REFERENCES contest_work(id),
    score        INTEGER NOT NULL CONSTRAINT "评分须为0到100的整数" CHECK (score BETWEEN 0 AND 100),
    saved_at     TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (round_id, judge_id, work_id)
);
CREATE INDEX contest_score_work ON contest_score(work_id);
CREATE TRIGGER contest_score_in_open_round BEFORE INSERT ON contest_score
WHEN NOT EXISTS (SELECT 1 FROM contest_open_round WHERE id = NEW.round_id AND kind = '终审')
BEGIN
    SELECT RAISE(ABORT, '终审评分未开启或已结束，不能评分');
END;
CREATE TRIGGER contest_score_by_an_expert_of_the_round BEFORE INSERT ON contest_score
WHEN NOT EXISTS (SELECT 1 FROM contest_round_judge WHERE round_id = NEW.round_id AND judge_id = NEW.judge_id)
BEGIN
    SELECT RAISE(ABORT, '该专家不是本轮的评审专家');
END;
CREATE TRIGGER contest_score_for_a_shortlisted_work BEFORE INSERT ON contest_score
WHEN NOT EXISTS (SELECT 1 FROM contest_shortlist s JOIN contest_round r ON r.category = s.category
                 WHERE s.work_id = NEW.work_id AND r.id = NEW.round_id)
BEGIN
    SELECT RAISE(ABORT, '该作品不在入围名单中');
END;
CREATE TRIGGER contest_score_not_own_unit BEFORE INSERT ON contest_score
WHEN (SELECT unit_id FROM contest_work WHERE id = NEW.work_id) = (SELECT unit_id FROM contest_judge WHERE id = NEW.judge_id)
BEGIN
    SELECT RAISE(ABORT, '不能给本单位的作品评分（回避）');
END;
CREATE TRIGGER contest_score_not_yet_submitted BEFORE INSERT ON contest_score
WHEN EXISTS (SELECT 1 FROM contest_score WHERE round_id = NEW.round_id AND judge_id = NEW.judge_id AND submitted_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, '评分已提交，不能再修改');
END;
CREATE TRIGGER contest_score_submitted_is_final BEFORE UPDATE ON contest_score
WHEN OLD.submitted_at IS NOT NULL
  OR NEW.round_id IS NOT OLD.round_id OR NEW.judge_id IS NOT OLD.judge_id OR NEW.work_id IS NOT OLD.work_id
BEGIN
    SELECT RAISE(ABORT, '评分已提交，不能再修改');
END;
CREATE TRIGGER contest_score_update_in_open_round BEFORE UPDATE ON contest_score
WHEN OLD.submitted_at IS NULL AND NOT EXISTS (SELECT 1 FROM contest_open_round WHERE id = OLD.round_id)
BEGIN
    SELECT RAISE(ABORT, '终审评分未开启或已结束，不能评分');
END;
CREATE TRIGGER contest_score_complete_to_submit BEFORE UPDATE OF submitted_at ON contest_score
WHEN NEW.submitted_at IS NOT NULL
 AND (SELECT count(*) FROM contest_score WHERE round_id = NEW.round_id AND judge_id = NEW.judge_id)
     < (SELECT count(*) FROM contest_shortlist s JOIN contest_work w ON w.id = s.work_id
        JOIN contest_round r ON r.category = s.category
        WHERE r.id = NEW.round_id AND w.unit_id IS NOT (SELECT unit_id FROM contest_judge WHERE id = NEW.judge_id))
BEGIN
    SELECT RAISE(ABORT, '须为全部作品评分后才能提交');
END;
CREATE TRIGGER contest_score_no_delete BEFORE DELETE ON contest_score
BEGIN
    SELECT RAISE(ABORT, '评分不能删除，提交前可以修改分数');
END;

-- Award tiers per category: quota (places at most) and the cash amount per work in yuan.
CREATE TABLE contest_tier (
    category    TEXT NOT NULL REFERENCES contest_category(category),
    rank        INTEGER NOT NULL CONSTRAINT "奖项等级须为1到10" CHECK (rank BETWEEN 1 AND 10),
    quota       INTEGER NOT NULL CONSTRAINT "奖项名额不能为负数" CHECK (quota >= 0),
    amount_yuan INTEGER NOT NULL CONSTRAINT "奖金不能为负数" CHECK (amount_yuan >= 0),
    PRIMARY KEY (category, rank)
);
INSERT INTO contest_tier (category, rank, quota, amount_yuan) VALUES
    ('家风家训', 1, 5, 1000), ('家风家训', 2, 10, 500), ('家风家训', 3, 20, 300),
    ('家风家训故事', 1, 2, 3000), ('家风家训故事', 2, 5, 2000), ('家风家训故事', 3, 8, 1000);
CREATE TRIGGER contest_tier_before_publicity BEFORE UPDATE ON contest_tier
WHEN (SELECT state FROM contest_category WHERE category = OLD.category) IN ('公示', '发布')
  OR NEW.quota < (SELECT count(*) FROM contest_award WHERE category = OLD.category AND tier = OLD.rank AND revoked_at IS NULL)
BEGIN
    SELECT RAISE(ABORT, '公示开始后不能修改奖项；名额也不能少于已授予的数量');
END;

-- Awards: one per work (the UNIQUE work_id), within each tier's quota, for shortlisted works,
-- assigned once the final round is closed. A work disqualified in 公示 keeps its row, revoked.
CREATE TABLE contest_award (
    id            INTEGER PRIMARY KEY,
    work_id       INTEGER NOT NULL UNIQUE REFERENCES contest_work(id),
    category      TEXT NOT NULL,
    tier          INTEGER NOT NULL,
    assigned_at   TEXT NOT NULL,
    revoked_at    TEXT,
    revoke_reason TEXT,
    FOREIGN KEY (category, tier) REFERENCES contest_tier(category, rank),
    CONSTRAINT "撤销奖项须写明理由" CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE TRIGGER contest_award_for_a_shortlisted_work BEFORE INSERT ON contest_award
WHEN NOT EXISTS (SELECT 1 FROM contest_shortlist s JOIN contest_work w ON w.id = s.work_id
                 WHERE s.work_id = NEW.work_id AND s.category = NEW.category AND w.status = '有效')
BEGIN
    SELECT RAISE(ABORT, '只能给本类别入围的有效作品授奖');
END;
CREATE TRIGGER contest_award_after_final_insert BEFORE INSERT ON contest_award
WHEN (SELECT state FROM contest_category WHERE category = NEW.category) NOT IN ('终审结束', '公示')
BEGIN
    SELECT RAISE(ABORT, '终审结束后、发布前才能授奖');
END;
CREATE TRIGGER contest_award_after_final_update BEFORE UPDATE ON contest_award
WHEN (SELECT state FROM contest_category WHERE category = OLD.category) NOT IN ('终审结束', '公示')
  OR OLD.revoked_at IS NOT NULL OR NEW.work_id IS NOT OLD.work_id OR NEW.category IS NOT OLD.category
BEGIN
    SELECT RAISE(ABORT, '终审结束后、发布前才能调整奖项，已撤销的奖项不能恢复');
END;
CREATE TRIGGER contest_award_within_quota_insert BEFORE INSERT ON contest_award
WHEN (SELECT count(*) FROM contest_award WHERE category = NEW.category AND tier = NEW.tier AND revoked_at IS NULL)
     >= (SELECT quota FROM contest_tier WHERE category = NEW.category AND rank = NEW.tier)
BEGIN
    SELECT RAISE(ABORT, '该奖项名额已满');
END;
CREATE TRIGGER contest_award_within_quota_update BEFORE UPDATE OF tier, revoked_at ON contest_award
WHEN NEW.revoked_at IS NULL AND NEW.tier IS NOT OLD.tier
 AND (SELECT count(*) FROM contest_award WHERE category = NEW.category AND tier = NEW.tier AND revoked_at IS NULL)
     >= (SELECT quota FROM contest_tier WHERE category = NEW.category AND rank = NEW.tier)
BEGIN
    SELECT RAISE(ABORT, '该奖项名额已满');
END;
CREATE TRIGGER contest_award_removed_before_publicity BEFORE DELETE ON contest_award
WHEN (SELECT state FROM contest_category WHERE category = OLD.category) IS NOT '终审结束'
BEGIN
    SELECT RAISE(ABORT, '公示开始后奖项不能删除，只能因取消资格而撤销');
END;

-- 公示: the period, counted in working days.
CREATE TABLE contest_publicity (
    category     TEXT PRIMARY KEY REFERENCES contest_category(category),
    starts_on    TEXT NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on      TEXT NOT NULL CHECK (date(ends_on) = ends_on),
    working_days INTEGER NOT NULL CONSTRAINT "公示期须至少1个工作日" CHECK (working_days > 0),
    CONSTRAINT "公示结束日期不能早于开始日期" CHECK (ends_on >= starts_on)
);
CREATE TRIGGER contest_publicity_before_it_starts BEFORE UPDATE ON contest_publicity
WHEN (SELECT state FROM contest_category WHERE category = OLD.category) IN ('公示', '发布')
BEGIN
    SELECT RAISE(ABORT, '公示已经开始，公示期不能修改');
END;
CREATE TRIGGER contest_state_log_publicity_first BEFORE INSERT ON contest_state_log
WHEN NEW.to_state = '公示' AND NOT EXISTS (SELECT 1 FROM contest_publicity WHERE category = NEW.category)
BEGIN
    SELECT RAISE(ABORT, '请先确定公示期');
END;

-- Objections received during 公示: who (real name), when, what, and the ruling.
CREATE TABLE contest_objection (
    id          INTEGER PRIMARY KEY,
    category    TEXT NOT NULL REFERENCES contest_category(category),
    work_id     INTEGER REFERENCES contest_work(id),
    objector    TEXT NOT NULL CONSTRAINT "异议须实名" CHECK (length(trim(objector)) > 0),
    contact     TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL CHECK (date(received_on) = received_on),
    content     TEXT NOT NULL CONSTRAINT "异议内容不能为空" CHECK (length(trim(content)) > 0),
    recorded_at TEXT NOT NULL,
    ruling      TEXT CONSTRAINT "处理结果只能是不予受理、异议不成立或取消获奖资格"
                    CHECK (ruling IS NULL OR ruling IN ('不予受理', '异议不成立', '取消获奖资格')),
    ruling_text TEXT NOT NULL DEFAULT '',
    ruled_by    TEXT,
    ruled_on    TEXT,
    CONSTRAINT "处理异议须写明理由并记录处理人" CHECK (
        (ruling IS NULL AND ruled_by IS NULL AND ruled_on IS NULL)
        OR (ruling IS NOT NULL AND ruled_by IS NOT NULL AND ruled_on IS NOT NULL AND length(trim(ruling_text)) > 0)),
    CONSTRAINT "取消获奖资格须针对某件作品" CHECK (ruling IS NOT '取消获奖资格' OR work_id IS NOT NULL)
);
CREATE TRIGGER contest_objection_during_publicity BEFORE INSERT ON contest_objection
WHEN (SELECT state FROM contest_category WHERE category = NEW.category) IS NOT '公示'
BEGIN
    SELECT RAISE(ABORT, '只有公示期间才能登记异议');
END;
CREATE TRIGGER contest_objection_ruled_once BEFORE UPDATE ON contest_objection
WHEN OLD.ruling IS NOT NULL
  OR (SELECT state FROM contest_category WHERE category = OLD.category) IS NOT '公示'
  OR NEW.objector IS NOT OLD.objector OR NEW.content IS NOT OLD.content OR NEW.received_on IS NOT OLD.received_on
  OR NEW.work_id IS NOT OLD.work_id OR NEW.category IS NOT OLD.category
BEGIN
    SELECT RAISE(ABORT, '异议登记后内容不能修改，处理结果只能在公示期间作出一次');
END;
CREATE TRIGGER contest_objection_no_delete BEFORE DELETE ON contest_objection
BEGIN
    SELECT RAISE(ABORT, '异议记录不能删除');
END;
CREATE TRIGGER contest_state_log_objections_ruled BEFORE INSERT ON contest_state_log
WHEN NEW.to_state = '发布' AND EXISTS (SELECT 1 FROM contest_objection WHERE category = NEW.category AND ruling IS NULL)
BEGIN
    SELECT RAISE(ABORT, '还有未处理的异议，不能发布');
END;
