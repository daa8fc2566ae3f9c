/* The benches' large account (large_account.h). */
#include "tests/lib/large_account.h"

#include <stdio.h>
#include <string.h>

void large_account(struct account *a, const char *pers_acc, int64_t updated_ms)
{
	static const char *svc[][2] = {
		{ "sod", "Содержание жилого помещения" }, { "hvs", "Холодное водоснабжение" },
		{ "gvs", "Горячее водоснабжение" }, { "vo", "Водоотведение" }, { "otop", "Отопление" },
		{ "el", "Электроснабжение" }, { "gaz", "Газоснабжение" }, { "tko", "Обращение с ТКО" },
		{ "kap", "Взнос на капитальный ремонт" }, { "dom", "Домофон" },
		{ "ant", "Коллективная антенна" }, { "lift", "Обслуживание лифта" },
	};
	memset(a, 0, sizeof *a);
	snprintf(a->pers_acc, sizeof a->pers_acc, "%s", pers_acc);
	snprintf(a->owner_masked, sizeof a->owner_masked, "И***в И. И.");
	snprintf(a->address_masked, sizeof a->address_masked, "г. Подольск, ул. Л*****, д. 5, кв. **");
	snprintf(a->period, sizeof a->period, "2026-10");
	a->nsuppliers = 4;
	for (int i = 0; i < a->nsuppliers; i++) {
		struct account_supplier *s = &a->suppliers[i];
		snprintf(s->id, sizeof s->id, "s%d", i + 1);
		snprintf(s->name, sizeof s->name, "ООО «Поставщик услуг №%d»", i + 1);
		snprintf(s->inn, sizeof s->inn, "503700%04d", (i + 1) % 10);
		snprintf(s->phone, sizeof s->phone, "+7 (4967) 55-12-3%d", i);
		snprintf(s->address, sizeof s->address, "142100, г. Подольск, ул. Кирова, д. %d", 10 + i);
	}
	a->nservices = (int)(sizeof svc / sizeof svc[0]);
	for (int i = 0; i < a->nservices; i++) {
		struct account_service *s = &a->services[i];
		snprintf(s->code, sizeof s->code, "%s", svc[i][0]);
		snprintf(s->name, sizeof s->name, "%s", svc[i][1]);
		snprintf(s->supplier_id, sizeof s->supplier_id, "s%d", i % 4 + 1);
		s->accrued = s->due = 12345 * (i + 1);
		a->due += s->due;
		a->accrued += s->accrued;
	}
	static const char *mn[][3] = { { "hvs", "ХВС, кухня", "м³" }, { "gvs", "ГВС, кухня", "м³" },
				       { "el", "Электроэнергия, день", "кВт·ч" }, { "el", "Электроэнергия, ночь", "кВт·ч" } };
	a->nmeters = 4;
	for (int i = 0; i < a->nmeters; i++) {
		struct account_meter *m = &a->meters[i];
		snprintf(m->id, sizeof m->id, "m%d", i + 1);
		snprintf(m->serial, sizeof m->serial, "04123%02d", i % 100);
		snprintf(m->service, sizeof m->service, "%s", mn[i][0]);
		snprintf(m->name, sizeof m->name, "%s", mn[i][1]);
		snprintf(m->unit, sizeof m->unit, "%s", mn[i][2]);
		m->digits = 5;
		m->decimals = i < 2 ? 3 : 1;
		m->last_value_milli = 123456 + 1000 * i;
		snprintf(m->last_date, sizeof m->last_date, "2026-10-20");
		m->max_monthly_milli = 30000000;
	}
	a->details = true;
	a->updated_at_ms = updated_ms;
}
