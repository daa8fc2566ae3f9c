/* Voice mode without SDL: the flow's voice switch (off at the session's end and on staff
 * screens, FE_TOUCH as input), explore by touch (first touch explores, a second within 2 s
 * activates, the prompt and the held staff corner pass), what each change says (a screen
 * with a cut, an error, the PIN-pad's prompts, the result, the supplier lines on request, the
 * prompt), control names and states, the keypad's echo, and no personal data before the
 * control answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kiosk/flow/flow_internal.h"
#include "kiosk/flow/voice.h"
#include "tests/lib/test_zone.h"
#include "ui/strings.h"

static struct strings *str;
static struct config cfg;
static struct flow f;
static struct voice_seen seen;
static struct voice_out out;
static int64_t now = 1000000;

static const char *tr(void *ud, enum lang l, const char *key)
{
	return strings_get(ud, l, key);
}

static bool has(void *ud, enum lang l, const char *key)
{
	return strings_has(ud, l, key);
}

static struct voice_ctx ctx(void)
{
	return (struct voice_ctx){ .tr = tr, .has = has, .ud = str, .cfg = &cfg };
}

static int setup(void **st)
{
	(void)st;
	test_zone("Europe/Moscow");
	char err[256];
	str = strings_load("assets/strings", err, sizeof err);
	if (!str)
		fail_msg("%s", err);
	config_defaults(&cfg);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	assert_int_equal(strings_missing(str), 0);
	strings_free(str);
	return 0;
}

static void fresh(void)
{
	struct flow_config fc = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU, .max_amount = 50000000,
				  .readings_from_day = 15, .readings_to_day = 25, .agent_name = "ООО «МосОблЕИРЦ»",
				  .staff_card_prefix = "STAFF:", .voice_available = true };
	flow_init(&f, &fc, now);
	f.online = true;
	f.wall_ms = 1795244400000; /* 2026-11-20 */
	memset(&seen, 0, sizeof seen);
}

static void ev(const struct flow_event *e)
{
	struct flow_out o = { 0 };
	flow_handle(&f, e, now, &o);
}

static void tap(const char *id)
{
	ev(&(struct flow_event){ .type = FE_TAP, .widget = id });
}

static void follow(void)
{
	struct voice_ctx c = ctx();
	out.n = 0;
	voice_follow(&seen, &f, &c, &out);
}

static void said(int i, bool cut, const char *part)
{
	if (i >= out.n)
		fail_msg("expected utterance %d containing «%s», only %d said", i, part, out.n);
	if (!strstr(out.u[i].text, part))
		fail_msg("expected «%s» in utterance %d, got «%s»", part, i, out.u[i].text);
	assert_int_equal(out.u[i].cut, cut);
}

/* A typed account found: the control question, then the verified account. */
static void to_account(void)
{
	tap("pay_bill");
	tap("enter_account");
	snprintf(f.s.typed, sizeof f.s.typed, "50012345");
	tap("key_ok");
	struct flow_account_result r = { .status = LOOKUP_FOUND };
	snprintf(r.acct.pers_acc, sizeof r.acct.pers_acc, "50012345");
	snprintf(r.acct.period, sizeof r.acct.period, "2026-10");
	ev(&(struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
}

static void test_switch(void **st)
{
	(void)st;
	fresh();
	tap("voice");
	assert_true(f.voice);
	tap("lang");
	assert_true(f.voice); /* the view changes, voice mode stays */
	tap("help");
	tap("home"); /* the session ends: voice mode too */
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_false(f.voice);
	/* not offered: the tap does nothing */
	f.cfg.voice_available = false;
	tap("voice");
	assert_false(f.voice);
	f.cfg.voice_available = true;
	/* staff screens are never spoken */
	tap("voice");
	ev(&(struct flow_event){ .type = FE_TAP, .widget = "staff_entry", .held_ms = 3000 });
	assert_int_equal(f.screen, SCREEN_STAFF_LOGIN);
	assert_false(f.voice);
	tap("voice");
	assert_false(f.voice);
}

static void test_touch_is_input(void **st)
{
	(void)st;
	fresh();
	tap("help");
	now += 61000;
	ev(&(struct flow_event){ .type = FE_TICK });
	assert_true(f.prompt_since_ms != 0);
	ev(&(struct flow_event){ .type = FE_TOUCH });
	assert_int_equal(f.prompt_since_ms, 0);
	assert_int_equal(f.last_input_ms, now);
	assert_int_equal(f.screen, SCREEN_HELP);
}

static void test_gate(void **st)
{
	(void)st;
	fresh();
	struct voice_gate g = { "", 0 };
	assert_int_equal(voice_gate(&g, &f, "pay_bill", 0, now), VOICE_PASS);
	f.voice = true;
	assert_int_equal(voice_gate(&g, &f, "pay_bill", 0, now), VOICE_EXPLORE);
	assert_int_equal(voice_gate(&g, &f, "pay_bill", 0, now + 2000), VOICE_ACTIVATE);
	/* once activated, the next touch explores again */
	assert_int_equal(voice_gate(&g, &f, "pay_bill", 0, now + 2100), VOICE_EXPLORE);
	/* too late: it explores again; another control in between re-arms */
	assert_int_equal(voice_gate(&g, &f, "pay_bill", 0, now + 4101), VOICE_EXPLORE);
	assert_int_equal(voice_gate(&g, &f, "help", 0, now + 4200), VOICE_EXPLORE);
	assert_int_equal(voice_gate(&g, &f, "pay_bill", 0, now + 4300), VOICE_EXPLORE);
	assert_int_equal(voice_gate(&g, &f, "pay_bill", 0, now + 4400), VOICE_ACTIVATE);
	/* the staff corner held goes through; the prompt takes any touch */
	assert_int_equal(voice_gate(&g, &f, "staff_entry", 3000, now), VOICE_PASS);
	assert_int_equal(voice_gate(&g, &f, "staff_entry", 100, now), VOICE_EXPLORE);
	f.prompt_since_ms = now;
	assert_int_equal(voice_gate(&g, &f, "help", 0, now), VOICE_PASS);
	assert_int_equal(voice_gate(&g, &f, "prompt_backdrop", 0, now), VOICE_PASS);
	f.prompt_since_ms = 0;
	f.screen = SCREEN_CASHIER;
	assert_int_equal(voice_gate(&g, &f, "x_report", 0, now), VOICE_PASS);
}

static void test_follow_screens(void **st)
{
	(void)st;
	fresh();
	follow();
	assert_int_equal(out.n, 0); /* voice mode off: nothing */
	tap("voice");
	follow();
	assert_int_equal(out.n, 1);
	said(0, true, "Голосовое сопровождение включено");
	said(0, true, "ООО «МосОблЕИРЦ». Оплата ЖКУ по квитанции.");
	follow();
	assert_int_equal(out.n, 0); /* nothing changed */
	to_account();
	follow();
	said(0, true, "Лицевой счёт пять ноль ноль один два, три четыре пять. Для защиты ваших данных введите сумму "
		      "начислений за октябрь две тысячи двадцать шестого года");
	/* a wrong answer: the error and the attempts left */
	f.s.looking_up = true;
	follow();
	said(0, true, "Проверяем");
	struct flow_account_result r = { .status = LOOKUP_WRONG_ANSWER, .attempts_left = 2 };
	ev(&(struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
	follow();
	said(0, true, "Сумма не совпадает. Осталось попыток: 2. Нужна сумма начислений за "
		      "октябрь две тысячи двадцать шестого года из квитанции, вместе с копейками. Если попытки закончатся");
	/* the lock: until when, and that the bill's QR code works now */
	f.s.looking_up = true;
	r = (struct flow_account_result){ .status = LOOKUP_LOCKED, .retry_after_s = 900 };
	ev(&(struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
	follow();
	said(0, true, "Ввод этого счёта закрыт до 10:15 после неверных ответов. Оплатить сейчас можно по QR-коду квитанции.");
	now += 16 * 60 * 1000; /* the lock over: the account typed again */
	to_account();
	follow();
	/* the language switched: the screen again, in English */
	tap("lang");
	follow();
	said(0, true, "Account five zero zero one two, three four five.");
	said(0, true, "October twenty twenty-six");
	tap("lang");
	follow();
	/* the session ends */
	tap("home");
	follow();
	said(0, true, "Голосовое сопровождение выключено.");
	assert_int_equal(out.n, 1);
}

static void test_account_and_supplier(void **st)
{
	(void)st;
	fresh();
	f.voice = true;
	follow();
	struct account *a = &f.s.acct;
	snprintf(a->pers_acc, sizeof a->pers_acc, "50012345");
	snprintf(a->owner_masked, sizeof a->owner_masked, "И***в И. И.");
	snprintf(a->address_masked, sizeof a->address_masked, "ул. К***а, д. *");
	snprintf(a->period, sizeof a->period, "2026-10");
	a->accrued = a->due = 452316;
	a->nservices = 1;
	snprintf(a->services[0].name, sizeof a->services[0].name, "Отопление");
	snprintf(a->services[0].supplier_id, sizeof a->services[0].supplier_id, "s1");
	a->services[0].accrued = 200001;
	a->nsuppliers = 1;
	snprintf(a->suppliers[0].id, sizeof a->suppliers[0].id, "s1");
	snprintf(a->suppliers[0].name, sizeof a->suppliers[0].name, "АО «Теплосеть»");
	snprintf(a->suppliers[0].inn, sizeof a->suppliers[0].inn, "5036000001");
	snprintf(a->suppliers[0].phone, sizeof a->suppliers[0].phone, "8-800-100-20-30");
	f.s.amount = 452316;
	f.s.open_service = -1;
	struct flow_out o = { 0 };
	flow_go(&f, SCREEN_ACCOUNT, &o, now);
	follow();
	said(0, true, "Расчётный период: октябрь две тысячи двадцать шестого года. Начислено: четыре тысячи пятьсот "
		      "двадцать три рубля шестнадцать копеек. Оплачено: ноль рублей. К оплате: четыре тысячи пятьсот "
		      "двадцать три рубля шестнадцать копеек.");
	/* the masked owner and address are on the screen, but never said */
	assert_null(strstr(out.u[0].text, "И***в"));
	assert_null(strstr(out.u[0].text, "К***а"));
	/* a service explored, then opened: its supplier */
	char buf[VOICE_TEXT_MAX];
	struct voice_ctx c = ctx();
	voice_control(&f, &c, "service_0", "", true, buf, sizeof buf);
	assert_string_equal(buf, "Услуга: Отопление. Начислено: две тысячи рублей одна копейка. Коснитесь ещё раз, "
				 "чтобы узнать поставщика.");
	tap("service_0");
	follow();
	said(0, true, "Поставщик: АО «Теплосеть». ИНН: пять ноль три шесть ноль ноль ноль ноль ноль один. Телефон: "
		      "восемь, восемьсот, сто, двадцать, тридцать.");
	tap("service_0");
	follow();
	said(0, true, "Сведения о поставщике скрыты.");
}

static void test_payment(void **st)
{
	(void)st;
	fresh();
	f.voice = true;
	f.s.total = 100;
	f.s.nlines = 1;
	struct flow_out o = { 0 };
	flow_go(&f, SCREEN_PAYMENT, &o, now);
	f.busy = true;
	follow();
	said(0, true, "Сумма: один рубль. Подготовка ПИН-пада");
	ev(&(struct flow_event){ .type = FE_PAY_PROGRESS, .code = PAY_PRESENT_CARD });
	follow();
	said(0, true, "Вставьте или приложите карту");
	ev(&(struct flow_event){ .type = FE_PAY_PROGRESS, .code = PAY_ENTER_PIN });
	follow();
	said(0, true, "Введите ПИН-код на ПИН-паде");
	struct flow_pay_result r = { .outcome = PAY_DECLINED, .host_rc = "51" };
	ev(&(struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	follow();
	said(0, true, "Банк отклонил оплату. Недостаточно средств на карте. Деньги с карты не списаны.");
	/* an approval, then the receipt */
	flow_go(&f, SCREEN_PAYMENT, &o, now);
	follow();
	r = (struct flow_pay_result){ .outcome = PAY_APPROVED };
	ev(&(struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	follow();
	said(0, true, "Оплата прошла. Оплачено один рубль. Печатаем чек");
	ev(&(struct flow_event){ .type = FE_PRINT_RESULT, .code = PRINT_OK });
	follow();
	said(0, false, "Заберите чек.");
	/* the inactivity warning */
	now += 46000;
	ev(&(struct flow_event){ .type = FE_TICK });
	follow();
	said(0, true, "Вы ещё здесь? Если вы не коснётесь экрана, через двадцать секунд сеанс завершится");
	now -= 46000;
}

static void test_controls_and_keys(void **st)
{
	(void)st;
	fresh();
	f.voice = true;
	struct voice_ctx c = ctx();
	char buf[VOICE_TEXT_MAX];
	voice_control(&f, &c, "pay_bill", "Оплатить квитанцию", true, buf, sizeof buf);
	assert_string_equal(buf, "Оплатить квитанцию. Коснитесь ещё раз, чтобы нажать.");
	voice_control(&f, &c, "pay_bill", "Оплатить квитанцию", false, buf, sizeof buf);
	assert_string_equal(buf, "Оплатить квитанцию. Сейчас недоступно.");
	voice_control(&f, &c, "large_text", "", true, buf, sizeof buf);
	assert_string_equal(buf, "Крупный шрифт. Сейчас выключено. Коснитесь ещё раз, чтобы нажать.");
	voice_control(&f, &c, "voice", "Голосовое сопровождение", true, buf, sizeof buf);
	assert_string_equal(buf, "Голосовое сопровождение. Сейчас включено. Коснитесь ещё раз, чтобы нажать.");
	voice_control(&f, &c, "key_7", "7", true, buf, sizeof buf);
	assert_string_equal(buf, "семь. Коснитесь ещё раз, чтобы нажать.");
	f.lang = LANG_EN;
	voice_control(&f, &c, "key_del", "", true, buf, sizeof buf);
	assert_string_equal(buf, "Delete the last digit. Touch again to press.");
	f.lang = LANG_RU;
	/* the keypad's echo: ATM-style money on the amount screen */
	struct flow_out o = { 0 };
	flow_go(&f, SCREEN_AMOUNT, &o, now);
	tap("key_1");
	voice_key(&f, &c, "key_1", buf, sizeof buf);
	assert_string_equal(buf, "один. Введено: одна копейка.");
	tap("key_0");
	tap("key_1");
	voice_key(&f, &c, "key_1", buf, sizeof buf);
	assert_string_equal(buf, "один. Введено: один рубль одна копейка.");
	tap("key_del");
	tap("key_del");
	tap("key_del");
	voice_key(&f, &c, "key_del", buf, sizeof buf);
	assert_string_equal(buf, "Стёрто. Ничего не введено.");
	voice_key(&f, &c, "key_ok", buf, sizeof buf);
	assert_string_equal(buf, "");
	/* staff screens: never (a PIN is typed there) */
	flow_go(&f, SCREEN_STAFF_LOGIN, &o, now);
	f.voice = true;
	tap("key_1");
	voice_key(&f, &c, "key_1", buf, sizeof buf);
	assert_string_equal(buf, "");
}

/* Readings typed with the comma: the echo says the value as typed, «Запятая» for the comma,
 * and what the meter takes when a key is refused; the question under a lower value names
 * «Нет, исправить» first. */
static void test_reading_keys(void **st)
{
	(void)st;
	fresh();
	f.voice = true;
	struct voice_ctx c = ctx();
	char buf[VOICE_TEXT_MAX];
	f.s.acct.nmeters = 1;
	struct account_meter *m = &f.s.acct.meters[0];
	snprintf(m->id, sizeof m->id, "m3");
	snprintf(m->name, sizeof m->name, "Электроэнергия, день");
	m->digits = 6;
	m->decimals = 1;
	m->last_value_milli = 10234500;
	struct flow_out o = { 0 };
	flow_start_readings(&f, &o, now);
	assert_int_equal(f.screen, SCREEN_READINGS);
	follow();
	said(0, true, "До запятой — самое большее шесть цифр. После запятой — самое большее одна цифра.");
	said(0, true, "В четвёртом ряду слева «Стереть», в середине ноль, справа запятая");
	voice_control(&f, &c, "key_comma", ",", true, buf, sizeof buf);
	assert_string_equal(buf, "Запятая: дальше цифры после запятой. Коснитесь ещё раз, чтобы нажать.");
	tap("key_1");
	tap("key_2");
	tap("key_5");
	tap("key_comma");
	voice_key(&f, &c, "key_comma", buf, sizeof buf);
	assert_string_equal(buf, "Запятая. Введено: сто двадцать пять. Запятая.");
	tap("key_5");
	voice_key(&f, &c, "key_5", buf, sizeof buf);
	assert_string_equal(buf, "пять. Введено: сто двадцать пять целых пять десятых.");
	tap("key_7");
	voice_key(&f, &c, "key_7", buf, sizeof buf);
	assert_string_equal(buf, "семь. Не добавлено. До запятой — самое большее шесть цифр. После запятой — самое "
				 "большее одна цифра. Введено: сто двадцать пять целых пять десятых.");
	follow();
	tap("key_ok");
	follow();
	said(0, true, "Это меньше прошлого показания. Под счётчиком две кнопки: первая «Нет, исправить»");
	voice_control(&f, &c, "fix_m3", "Нет, исправить", true, buf, sizeof buf);
	assert_string_equal(buf, "Нет, исправить. Счётчик: Электроэнергия, день. Коснитесь ещё раз, чтобы нажать.");
	voice_control(&f, &c, "confirm_rollover_m3", "Да, прошёл через ноль", true, buf, sizeof buf);
	assert_string_equal(buf, "Да, прошёл через ноль. Счётчик: Электроэнергия, день. Коснитесь ещё раз, чтобы нажать.");
}

/* The technician's rate and volume: steps of 10 within their bounds, each asked to be kept
 * (SOP_SPEECH); nothing without speech. */
static void test_technician_settings(void **st)
{
	(void)st;
	fresh();
	f.speech_rate = 150;
	f.speech_volume = 80;
	f.screen = SCREEN_SERVICE_DEVICES;
	f.s.staff.role = 2;
	struct flow_out o = { 0 };
	flow_handle(&f, &(struct flow_event){ .type = FE_TAP, .widget = "speech_rate_up" }, now, &o);
	assert_int_equal(f.speech_rate, 160);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.a[0].type, FA_STAFF);
	assert_int_equal(o.a[0].arg, SOP_SPEECH);
	f.s.staff.pending = false;
	for (int i = 0; i < 12; i++) {
		flow_handle(&f, &(struct flow_event){ .type = FE_TAP, .widget = "speech_volume_up" }, now, &o);
		f.s.staff.pending = false;
	}
	assert_int_equal(f.speech_volume, 100);
	for (int i = 0; i < 40; i++) {
		flow_handle(&f, &(struct flow_event){ .type = FE_TAP, .widget = "speech_rate_down" }, now, &o);
		f.s.staff.pending = false;
	}
	assert_int_equal(f.speech_rate, 80);
	f.cfg.voice_available = false;
	o.n = 0;
	flow_handle(&f, &(struct flow_event){ .type = FE_TAP, .widget = "speech_rate_up" }, now, &o);
	assert_int_equal(f.speech_rate, 80);
	assert_int_equal(o.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switch),
		cmocka_unit_test(test_touch_is_input),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_follow_screens),
		cmocka_unit_test(test_account_and_supplier),
		cmocka_unit_test(test_payment),
		cmocka_unit_test(test_controls_and_keys),
		cmocka_unit_test(test_reading_keys),
		cmocka_unit_test(test_technician_settings),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
