#include "drivers/shtrih_state.h"

#include <stddef.h>

const char *shtrih_mode_text(uint8_t mode)
{
	switch (mode) {
	case 0: return "печать отчёта из буфера";
	case 1: return "выдача данных";
	case 2: return "смена открыта";
	case 3: return "смена открыта более 24 часов: нужен Z-отчёт";
	case 4: return "смена закрыта";
	case 5: return "заблокирована (неверный пароль налогового инспектора)";
	case 6: return "ожидание подтверждения даты";
	case 8: return "открыт документ";
	case 9: return "нужно технологическое обнуление";
	case 10: return "тестовый прогон";
	default: return "неизвестный режим";
	}
}

const char *shtrih_submode_text(uint8_t submode)
{
	switch (submode) {
	case 0: return "бумага есть";
	case 1: return "нет бумаги";
	case 2: return "бумага кончилась во время печати";
	case 3: return "бумага заправлена: ждёт продолжения печати";
	case 4: return "печать отчёта";
	case 5: return "печать";
	default: return "неизвестный подрежим";
	}
}

const char *shtrih_phase_text(uint8_t phase)
{
	switch (phase) {
	case 1: return "ФН готов к фискализации";
	case 3: return "ФН в фискальном режиме";
	case 7: return "фискальный режим ФН закрыт";
	case 15: return "ФН: только чтение архива";
	default: return "ФН в неизвестной фазе";
	}
}

struct err_entry {
	uint8_t code;
	enum shtrih_action act;
	const char *text;
};

static const struct err_entry errors[] = {
	{ 0x00, SHTRIH_ACT_NONE, "без ошибок" },
	{ 0x01, SHTRIH_ACT_BUG, "ФН: неизвестная команда или неверный формат" },
	{ 0x02, SHTRIH_ACT_RESYNC, "ФН: неверное состояние" },
	{ 0x03, SHTRIH_ACT_OUT_OF_SERVICE, "отказ ФН" },
	{ 0x04, SHTRIH_ACT_OUT_OF_SERVICE, "отказ криптографического сопроцессора ФН" },
	{ 0x05, SHTRIH_ACT_REPLACE_FN, "срок эксплуатации ФН истёк" },
	{ 0x06, SHTRIH_ACT_OUT_OF_SERVICE, "архив ФН переполнен" },
	{ 0x07, SHTRIH_ACT_DATE, "неверные дата или время" },
	{ 0x08, SHTRIH_ACT_NO_DATA, "нет запрошенных данных" },
	{ 0x09, SHTRIH_ACT_BUG, "некорректное значение параметров команды" },
	{ 0x10, SHTRIH_ACT_BUG, "превышение размера TLV-данных" },
	{ 0x11, SHTRIH_ACT_LOG, "нет транспортного соединения с ОФД" },
	{ 0x12, SHTRIH_ACT_REPLACE_FN, "исчерпан ресурс ключей ФН" },
	{ 0x14, SHTRIH_ACT_OUT_OF_SERVICE, "исчерпан ресурс хранения: документы не переданы в ОФД" },
	{ 0x16, SHTRIH_ACT_SHIFT_OVER, "продолжительность смены более 24 часов" },
	{ 0x17, SHTRIH_ACT_DATE, "время ККТ и ФН расходится более чем на 5 минут" },
	{ 0x20, SHTRIH_ACT_LOG, "сообщение ОФД не может быть принято" },
	{ 0x2F, SHTRIH_ACT_RETRY, "таймаут обмена с ФН" },
	{ 0x30, SHTRIH_ACT_RETRY, "ФН не отвечает" },
	{ 0x33, SHTRIH_ACT_BUG, "некорректные параметры в команде" },
	{ 0x35, SHTRIH_ACT_BUG, "команда не поддерживается при этих настройках" },
	{ 0x36, SHTRIH_ACT_BUG, "команда не поддерживается в данной реализации" },
	{ 0x37, SHTRIH_ACT_BUG, "команда не поддерживается" },
	{ 0x45, SHTRIH_ACT_BUG, "сумма оплат меньше итога чека" },
	{ 0x4A, SHTRIH_ACT_RESYNC, "открыт чек: операция невозможна" },
	{ 0x4B, SHTRIH_ACT_BUG, "буфер чека переполнен" },
	{ 0x4D, SHTRIH_ACT_BUG, "безналичная оплата больше итога чека" },
	{ 0x4E, SHTRIH_ACT_SHIFT_OVER, "смена превысила 24 часа" },
	{ 0x4F, SHTRIH_ACT_PASSWORD, "неверный пароль" },
	{ 0x50, SHTRIH_ACT_RETRY, "идёт печать предыдущей команды" },
	{ 0x55, SHTRIH_ACT_RESYNC, "чек закрыт: операция невозможна" },
	{ 0x58, SHTRIH_ACT_CONTINUE, "ожидание команды продолжения печати" },
	{ 0x5E, SHTRIH_ACT_BUG, "некорректная операция (признак агента не зарегистрирован?)" },
	{ 0x6B, SHTRIH_ACT_PAPER, "нет чековой ленты" },
	{ 0x71, SHTRIH_ACT_OUT_OF_SERVICE, "ошибка отрезчика" },
	{ 0x72, SHTRIH_ACT_RESYNC, "команда не поддерживается в этом подрежиме" },
	{ 0x73, SHTRIH_ACT_RESYNC, "команда не поддерживается в этом режиме" },
	{ 0x77, SHTRIH_ACT_OUT_OF_SERVICE, "ошибка датчика бумаги" },
	{ 0x7E, SHTRIH_ACT_BUG, "неверная длина поля" },
	{ 0x8E, SHTRIH_ACT_BUG, "нулевой итог чека" },
	{ 0x94, SHTRIH_ACT_BUG, "исчерпан лимит операций в чеке" },
	{ 0xB9, SHTRIH_ACT_BUG, "ошибка TLV-данных" },
	{ 0xC0, SHTRIH_ACT_DATE, "нужно подтвердить дату и время" },
	{ 0xC8, SHTRIH_ACT_OUT_OF_SERVICE, "нет связи с печатающим устройством" },
};

static const struct err_entry *find(uint8_t code)
{
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
		if (errors[i].code == code)
			return &errors[i];
	return NULL;
}

const char *shtrih_error_text(uint8_t err)
{
	const struct err_entry *e = find(err);
	if (e)
		return e->text;
	if (err >= 0xA0 && err <= 0xA5)
		return "ошибка маркировки";
	return "неизвестная ошибка ККТ";
}

/* An unknown code stops the document: it is safer to look at the state than to go on. */
enum shtrih_action shtrih_error_action(uint8_t err)
{
	const struct err_entry *e = find(err);
	return e ? e->act : SHTRIH_ACT_RESYNC;
}

const char *shtrih_action_name(enum shtrih_action a)
{
	static const char *const names[] = {
		"none", "bug", "resync", "out_of_service", "replace_fn", "shift_over", "retry",
		"continue", "paper", "no_data", "log", "password", "date",
	};
	if ((unsigned)a >= sizeof names / sizeof names[0])
		return "?";
	return names[a];
}
