/* The screens of the field app. Everything is built with DOM calls (no
   innerHTML with data), so cached text can never become markup. */
(function () {
  "use strict";

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "on") for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
      else if (name === "class") el.className = value;
      else if (name === "testid") el.dataset.testid = value;
      else if (value === true) el.setAttribute(name, "");
      else el.setAttribute(name, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  let fieldSeq = 0;
  function field(label, control, help) {
    const id = control.id || `f${(fieldSeq += 1)}`;
    control.id = id;
    return h("div", { class: "mb-3" }, h("label", { class: "form-label", for: id }, label), control, help ? h("div", { class: "form-text" }, help) : null);
  }
  function input(name, attrs) {
    return h("input", { class: "form-control form-control-lg", name, ...attrs });
  }
  function textarea(name, value, attrs) {
    const el = h("textarea", { class: "form-control", name, rows: 3, ...attrs });
    el.value = value || "";
    return el;
  }
  function select(name, choices, value, blank) {
    const el = h("select", { class: "form-select form-select-lg", name });
    if (blank !== undefined) el.append(h("option", { value: "" }, blank));
    for (const [code, label] of choices) el.append(h("option", { value: String(code) }, label));
    if (value !== null && value !== undefined && value !== "") el.value = String(value);
    else if (blank !== undefined) el.value = "";
    return el;
  }
  function localInput(date) {
    const d = date ? new Date(date) : new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  function isoFromLocal(value) {
    return value ? new Date(value).toISOString() : new Date().toISOString();
  }
  function today() {
    return localInput().slice(0, 10);
  }
  function formatTime(iso) {
    if (!iso) return "从未";
    const d = new Date(iso);
    return d.toLocaleString("zh-CN", { hour12: false, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  }
  function backLink(href, text) {
    return h("a", { class: "field-back", href }, h("i", { class: "bi bi-chevron-left", "aria-hidden": "true" }), text || "返回");
  }
  function errorList(errors) {
    if (!errors) return null;
    const items = [];
    for (const [name, messages] of Object.entries(errors)) {
      for (const message of [].concat(messages)) items.push(h("li", {}, typeof message === "string" ? message : JSON.stringify(message)));
      void name;
    }
    return h("ul", { class: "field-errors", testid: "item-errors" }, items);
  }

  /* A photo picker: camera first, compressed on pick, position when allowed. */
  function photoPicker(app, photos, label) {
    const list = h("div", { class: "field-photos", testid: "photo-list" });
    const status = h("div", { class: "form-text", testid: "photo-status" });
    const allowGeo = h("input", { type: "checkbox", class: "form-check-input", id: `geo${(fieldSeq += 1)}` });
    const fileInput = h("input", { type: "file", accept: "image/*", capture: "environment", class: "form-control form-control-lg" });
    const max = app.options().photos_per_item || 5;
    function draw() {
      list.replaceChildren(
        ...photos.map((photo, index) =>
          h("figure", { class: "field-photo" },
            h("img", { src: `data:image/jpeg;base64,${photo.data}`, alt: `照片 ${index + 1}` }),
            h("button", { type: "button", class: "btn btn-sm btn-outline-danger", on: { click: () => { photos.splice(index, 1); draw(); } } }, "删除")),
        ),
      );
      status.textContent = `已添加 ${photos.length}/${max} 张`;
      fileInput.disabled = photos.length >= max;
    }
    fileInput.addEventListener("change", async () => {
      for (const file of [...fileInput.files]) {
        if (photos.length >= max) break;
        status.textContent = "正在压缩照片…";
        try {
          photos.push(await FieldPhotos.compress(file, app.options(), allowGeo.checked));
        } catch (error) {
          app.toast(error.message);
        }
      }
      fileInput.value = "";
      draw();
    });
    draw();
    return h("div", { class: "mb-3" },
      field(label || "现场照片", fileInput),
      h("div", { class: "form-check mb-2" }, allowGeo, h("label", { class: "form-check-label", for: allowGeo.id }, "记录拍摄位置")),
      status, list);
  }

  function submitBar(text) {
    return h("button", { type: "submit", class: "btn btn-primary btn-lg w-100 field-submit", testid: "save" }, h("i", { class: "bi bi-save", "aria-hidden": "true" }), ` ${text || "保存到发件箱"}`);
  }

  function categoryChoices(app) {
    return (app.snapshot.categories || []).map((c) => [c.id, c.name]);
  }

  /* A matter block used by 走访 (0..n) and 上报事项 (one). */
  function matterBlock(app, initial, removable, onRemove) {
    const data = { photos: (initial && initial.photos) || [] };
    const title = input("title", { value: (initial && initial.title) || "", maxlength: 100, required: true });
    const description = textarea("description", initial && initial.description, { required: true });
    const category = select("category", categoryChoices(app), initial && initial.category, "不确定(由受理人员分类)");
    const block = h("fieldset", { class: "field-card", testid: "matter-block" },
      h("legend", {}, "事项"),
      field("事项标题", title),
      field("具体情况", description),
      field("事项分类", category),
      photoPicker(app, data.photos),
      removable ? h("button", { type: "button", class: "btn btn-outline-danger w-100", on: { click: () => onRemove(block) } }, "删除这个事项") : null);
    block.read = () => ({
      title: title.value.trim(),
      description: description.value.trim(),
      category: category.value ? Number(category.value) : null,
      photos: data.photos,
    });
    return block;
  }

  function householdLabel(app, id) {
    const household = (app.snapshot.households || []).find((x) => x.id === id);
    return household ? household.address : `户 ${id}`;
  }

  const screens = {};

  screens.home = (app) => {
    const snap = app.snapshot;
    const tiles = [
      ["#households", "bi-house-door", "户籍走访", (snap.households || []).length, "tile-households"],
      ["#matter-new", "bi-plus-circle", "上报事项", null, "tile-matter"],
      ["#matters", "bi-chat-left-text", "事项跟进", (snap.matters || []).length, "tile-matters"],
      ["#addresses", "bi-signpost-split", "地址核实", (snap.address_tasks || []).length, "tile-addresses"],
      ["#premises", "bi-shield-check", "安全检查", (snap.premises || []).length, "tile-premises"],
      ["#care", "bi-heart", "关爱走访", (snap.care || []).length, "tile-care"],
    ];
    return h("section", {},
      h("h1", { class: "field-h1" }, "今日任务"),
      h("p", { class: "field-meta", testid: "snapshot-time" }, `数据更新于 ${formatTime(snap.generated_at)},有效至 ${formatTime(snap.expires_at)}`),
      h("div", { class: "field-tiles" },
        tiles.map(([href, icon, label, count, testid]) =>
          h("a", { class: "field-tile", href, testid },
            h("i", { class: `bi ${icon}`, "aria-hidden": "true" }),
            h("span", {}, label),
            count === null ? null : h("b", {}, String(count))))));
  };

  screens.households = (app) => {
    const households = app.snapshot.households || [];
    return h("section", {},
      backLink("#home", "今日任务"),
      h("h1", { class: "field-h1" }, "户籍"),
      households.length ? null : h("p", { class: "text-muted" }, "本网格暂无住户。"),
      h("ul", { class: "field-list" },
        households.map((household) =>
          h("li", {}, h("a", { href: `#household/${household.id}`, testid: "household-row" },
            h("strong", {}, household.address),
            h("small", {}, `户主 ${household.head || "—"} · ${household.members.length} 人`))))));
  };

  screens.household = (app, id) => {
    const household = (app.snapshot.households || []).find((x) => x.id === Number(id));
    if (!household) return app.notFound();
    return h("section", {},
      backLink("#households", "户籍"),
      h("h1", { class: "field-h1" }, household.address),
      h("ul", { class: "field-list" },
        household.members.map((member) =>
          h("li", { testid: "member-row" }, h("div", { class: "field-row" },
            h("strong", {}, member.name),
            h("small", {}, [member.age === null || member.age === undefined ? "" : `${member.age} 岁`, ...(member.flags || [])].filter(Boolean).join(" · ")))))),
      h("a", { class: "btn btn-primary btn-lg w-100", href: `#visit/${household.id}`, testid: "start-visit" }, h("i", { class: "bi bi-door-open", "aria-hidden": "true" }), " 记录走访"));
  };

  screens.visit = (app, householdId, editKey) => {
    const initial = app.editing(editKey, "visit") || { household: Number(householdId), notes: "", matters: [] };
    const visitedAt = input("visited_at", { type: "datetime-local", value: localInput(initial.visited_at) });
    const notes = textarea("notes", initial.notes, { maxlength: 2000 });
    const matters = h("div", {});
    const remove = (block) => block.remove();
    for (const matter of initial.matters) matters.append(matterBlock(app, matter, true, remove));
    const form = h("form", { class: "field-form", testid: "visit-form" },
      backLink(`#household/${initial.household}`, "住户"),
      h("h1", { class: "field-h1" }, "走访记录"),
      h("p", { class: "field-meta" }, householdLabel(app, initial.household)),
      errorList(app.editErrors(editKey)),
      field("走访时间", visitedAt),
      field("走访情况", notes),
      matters,
      h("button", { type: "button", class: "btn btn-outline-primary btn-lg w-100 mb-3", testid: "add-matter", on: { click: () => matters.append(matterBlock(app, null, true, remove)) } }, h("i", { class: "bi bi-plus", "aria-hidden": "true" }), " 添加发现的事项"),
      submitBar());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = {
        household: initial.household,
        visited_at: isoFromLocal(visitedAt.value),
        notes: notes.value.trim(),
        matters: [...matters.children].map((block) => block.read()),
      };
      const count = body.matters.length;
      app.save("visit", body, `走访 ${householdLabel(app, initial.household)}${count ? `(${count} 个事项)` : ""}`, editKey);
    });
    return form;
  };

  screens["matter-new"] = (app, _unused, editKey) => {
    const initial = app.editing(editKey, "matter") || { household: null };
    const household = select("household", (app.snapshot.households || []).map((x) => [x.id, x.address]), initial.household, "不涉及具体住户");
    const block = matterBlock(app, initial, false);
    const form = h("form", { class: "field-form", testid: "matter-form" },
      backLink("#home", "今日任务"),
      h("h1", { class: "field-h1" }, "上报事项"),
      errorList(app.editErrors(editKey)),
      field("相关住户", household),
      block,
      submitBar());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = { node: null, household: household.value ? Number(household.value) : null, ...block.read() };
      app.save("matter", body, `上报事项:${body.title}`, editKey);
    });
    return form;
  };

  screens.matters = (app) => {
    const matters = app.snapshot.matters || [];
    return h("section", {},
      backLink("#home", "今日任务"),
      h("h1", { class: "field-h1" }, "事项跟进"),
      matters.length ? null : h("p", { class: "text-muted" }, "本网格暂无办理中的事项。"),
      h("ul", { class: "field-list" },
        matters.map((matter) =>
          h("li", {}, h("a", { href: `#note/${matter.id}`, testid: "matter-row" },
            h("strong", {}, matter.title),
            h("small", {}, `${matter.number} · ${matter.state_label}${matter.deadline ? ` · 期限 ${matter.deadline}` : ""}`))))));
  };

  screens.note = (app, matterId, editKey) => {
    const initial = app.editing(editKey, "matter_note") || { matter: Number(matterId), text: "", photos: [] };
    const matter = (app.snapshot.matters || []).find((x) => x.id === initial.matter);
    const photos = initial.photos || [];
    const text = textarea("text", initial.text, { required: true, maxlength: 2000 });
    const form = h("form", { class: "field-form", testid: "note-form" },
      backLink("#matters", "事项跟进"),
      h("h1", { class: "field-h1" }, "跟进记录"),
      h("p", { class: "field-meta" }, matter ? `${matter.number} ${matter.title}` : `事项 ${initial.matter}`),
      errorList(app.editErrors(editKey)),
      field("跟进情况", text),
      photoPicker(app, photos),
      submitBar());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      app.save("matter_note", { matter: initial.matter, text: text.value.trim(), photos }, `跟进:${matter ? matter.title : initial.matter}`, editKey);
    });
    return form;
  };

  screens.addresses = (app) => {
    const tasks = app.snapshot.address_tasks || [];
    return h("section", {},
      backLink("#home", "今日任务"),
      h("h1", { class: "field-h1" }, "地址核实"),
      tasks.length ? null : h("p", { class: "text-muted" }, "没有待核实的地址。"),
      h("ul", { class: "field-list" },
        tasks.map((task) =>
          h("li", {}, h("a", { href: `#address/${task.id}`, testid: "address-row" },
            h("strong", {}, task.text),
            h("small", {}, `${task.batch ? task.batch.name : ""} · ${task.state_label}`))))));
  };

  const ADDRESS_PARTS = [["road", "街路巷"], ["door_number", "门牌号"], ["building", "楼栋号"], ["unit", "单元号"], ["room", "户室号"]];

  screens.address = (app, addressId, editKey) => {
    const task = (app.snapshot.address_tasks || []).find((x) => x.id === Number(addressId));
    const initial = app.editing(editKey, "address") || { address: Number(addressId), action: "confirm", fields: {}, seen_state: task ? task.state : "" };
    const inputs = ADDRESS_PARTS.map(([name, label]) => [name, label, input(name, { value: initial.fields[name] || "", maxlength: name === "road" ? 50 : 20 })]);
    const form = h("form", { class: "field-form", testid: "address-form" },
      backLink("#addresses", "地址核实"),
      h("h1", { class: "field-h1" }, "地址核实"),
      h("p", { class: "field-meta" }, task ? task.text : `地址 ${initial.address}`),
      errorList(app.editErrors(editKey)),
      h("button", { type: "button", class: "btn btn-success btn-lg w-100 mb-3", testid: "address-confirm", on: { click: () => app.save("address", { address: initial.address, action: "confirm", fields: {}, seen_state: initial.seen_state }, `地址确认:${task ? task.text : initial.address}`, editKey) } },
        h("i", { class: "bi bi-check2-circle", "aria-hidden": "true" }), " 地址无误,确认"),
      h("fieldset", { class: "field-card" },
        h("legend", {}, "与现场不符?只填需要更正的部分"),
        inputs.map(([, label, el]) => field(label, el))),
      submitBar("保存更正"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const fields = {};
      for (const [name, , el] of inputs) if (el.value.trim()) fields[name] = el.value.trim();
      if (!Object.keys(fields).length) {
        app.toast("请填写需要更正的内容,或点击“地址无误,确认”。");
        return;
      }
      app.save("address", { address: initial.address, action: "correct", fields, seen_state: initial.seen_state }, `地址更正:${task ? task.text : initial.address}`, editKey);
    });
    return form;
  };

  screens.premises = (app) => {
    const premises = app.snapshot.premises || [];
    return h("section", {},
      backLink("#home", "今日任务"),
      h("h1", { class: "field-h1" }, "安全检查"),
      premises.length ? null : h("p", { class: "text-muted" }, "本月没有安排检查的场所。"),
      h("ul", { class: "field-list" },
        premises.map((place) =>
          h("li", {}, h("a", { href: `#inspect/${place.id}`, testid: "premises-row" },
            h("strong", {}, place.name),
            h("small", {}, place.address))))));
  };

  function hazardBlock(app, checklist, initial, onRemove) {
    const photos = (initial && initial.photos) || [];
    // A hazard belongs to a checklist item the premises failed.
    const item = select("item", checklist ? checklist.items.map((x) => [x.id, x.text]) : [], initial && initial.item);
    const description = textarea("description", initial && initial.description, { maxlength: 200 });
    const level = select("level", app.options().hazard_levels || [], initial && initial.level);
    const block = h("fieldset", { class: "field-card", testid: "hazard-block" },
      h("legend", {}, "隐患"),
      field("对应检查项(须为不合格项)", item), field("隐患描述", description), field("隐患等级", level),
      photoPicker(app, photos, "隐患照片"),
      h("button", { type: "button", class: "btn btn-outline-danger w-100", on: { click: () => onRemove(block) } }, "删除这条隐患"));
    block.read = () => ({ item: item.value ? Number(item.value) : null, description: description.value.trim(), level: level.value, photos });
    return block;
  }

  screens.inspect = (app, premisesId, editKey) => {
    const place = (app.snapshot.premises || []).find((x) => x.id === Number(premisesId));
    const initial = app.editing(editKey, "inspection") || {
      premises: Number(premisesId), version: place ? place.checklist_version : null, inspected_at: null, note: "", answers: [], photos: [], hazards: [],
    };
    const checklist = (app.snapshot.checklists || []).find((x) => x.version === initial.version);
    const photos = initial.photos || [];
    const answers = (checklist ? checklist.items : []).map((item) => {
      const previous = initial.answers.find((a) => a.item === item.id) || { result: "pass", note: "" };
      const name = `answer-${item.id}`;
      const radios = [["pass", "合格"], ["fail", "不合格"], ["na", "不适用"]].map(([code, label]) => {
        const id = `${name}-${code}`;
        const radio = h("input", { type: "radio", class: "btn-check", name, id, value: code, checked: previous.result === code });
        return [radio, h("label", { class: `btn btn-outline-${code === "fail" ? "danger" : code === "pass" ? "success" : "secondary"}`, for: id }, label)];
      });
      const note = input(`${name}-note`, { value: previous.note || "", maxlength: 500, "aria-label": `${item.text} 说明` });
      // A failed item needs a note of what was found (the safety app refuses it otherwise).
      const markFailed = () => {
        const failed = radios.some(([radio]) => radio.checked && radio.value === "fail");
        note.required = failed;
        note.placeholder = failed ? "不合格:请写明发现的问题" : "说明(可不填)";
      };
      for (const [radio] of radios) radio.addEventListener("change", markFailed);
      markFailed();
      const row = h("div", { class: "field-card", testid: "checklist-item" },
        h("p", { class: "fw-semibold mb-1" }, item.text),
        item.hint ? h("p", { class: "form-text" }, item.hint) : null,
        h("div", { class: "btn-group w-100 mb-2", role: "group", "aria-label": item.text }, radios.flat()),
        note);
      row.read = () => ({ item: item.id, result: row.querySelector("input:checked").value, note: note.value.trim() });
      return row;
    });
    const hazards = h("div", {});
    const remove = (block) => block.remove();
    for (const hazard of initial.hazards) hazards.append(hazardBlock(app, checklist, hazard, remove));
    const inspectedAt = input("inspected_at", { type: "datetime-local", value: localInput(initial.inspected_at) });
    const note = textarea("note", initial.note, { maxlength: 2000 });
    const form = h("form", { class: "field-form", testid: "inspection-form" },
      backLink("#premises", "安全检查"),
      h("h1", { class: "field-h1" }, place ? place.name : "安全检查"),
      h("p", { class: "field-meta" }, checklist ? checklist.name : "该场所本月没有检查表"),
      errorList(app.editErrors(editKey)),
      field("检查时间", inspectedAt),
      answers,
      hazards,
      h("button", { type: "button", class: "btn btn-outline-danger btn-lg w-100 mb-3", testid: "add-hazard", on: { click: () => hazards.append(hazardBlock(app, checklist, null, remove)) } }, h("i", { class: "bi bi-exclamation-octagon", "aria-hidden": "true" }), " 添加隐患"),
      field("检查说明", note),
      photoPicker(app, photos),
      submitBar());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = {
        premises: initial.premises,
        version: initial.version,
        inspected_at: isoFromLocal(inspectedAt.value),
        note: note.value.trim(),
        answers: answers.map((row) => row.read()),
        photos,
        hazards: [...hazards.children].map((block) => block.read()),
      };
      app.save("inspection", body, `安全检查:${place ? place.name : initial.premises}${body.hazards.length ? `(${body.hazards.length} 条隐患)` : ""}`, editKey);
    });
    return form;
  };

  screens.care = (app) => {
    const care = app.snapshot.care || [];
    return h("section", {},
      backLink("#home", "今日任务"),
      h("h1", { class: "field-h1" }, "关爱走访"),
      care.length ? null : h("p", { class: "text-muted" }, "本月关爱名单为空。"),
      h("ul", { class: "field-list" },
        care.map((entry) =>
          h("li", {}, h("a", { href: `#care-visit/${entry.resident}/${entry.list_kind}`, testid: "care-row" },
            h("strong", {}, `${entry.name} · ${entry.list_label}`),
            h("small", {}, `${householdLabel(app, entry.household)} · 上次走访 ${entry.last_visit || "本月未走访"}`))))));
  };

  screens["care-visit"] = (app, residentId, listKind, editKey) => {
    const entry = (app.snapshot.care || []).find((x) => x.resident === Number(residentId) && x.list_kind === listKind);
    const initial = app.editing(editKey, "care_visit") || { resident: Number(residentId), list_kind: listKind, kind: "", visited_on: today(), note: "", opinion: "" };
    const kinds = app.options().care_visit_kinds || [];
    const kind = select("kind", kinds, initial.kind || (kinds[0] && kinds[0][0]));
    const visitedOn = input("visited_on", { type: "date", value: initial.visited_on, max: today() });
    const note = textarea("note", initial.note, { required: true, maxlength: 2000 });
    const opinion = textarea("opinion", initial.opinion, { maxlength: 1000 });
    const form = h("form", { class: "field-form", testid: "care-form" },
      backLink("#care", "关爱走访"),
      h("h1", { class: "field-h1" }, "关爱走访"),
      h("p", { class: "field-meta" }, entry ? `${entry.name} · ${entry.list_label}` : `居民 ${initial.resident}`),
      errorList(app.editErrors(editKey)),
      field("走访方式", kind), field("走访日期", visitedOn), field("走访情况", note), field("本人意见", opinion),
      submitBar());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = { resident: initial.resident, list_kind: initial.list_kind, kind: kind.value, visited_on: visitedOn.value, note: note.value.trim(), opinion: opinion.value.trim() };
      app.save("care_visit", body, `关爱走访:${entry ? entry.name : initial.resident}`, editKey);
    });
    return form;
  };

  const EDIT_ROUTES = {
    visit: (item) => `#visit/${item.body.household}/${item.key}`,
    matter: (item) => `#matter-new/-/${item.key}`,
    matter_note: (item) => `#note/${item.body.matter}/${item.key}`,
    address: (item) => `#address/${item.body.address}/${item.key}`,
    inspection: (item) => `#inspect/${item.body.premises}/${item.key}`,
    care_visit: (item) => `#care-visit/${item.body.resident}/${item.body.list_kind}/${item.key}`,
  };

  function statusBadge(item) {
    const cls = { pending: "text-bg-warning", synced: "text-bg-success", discarded: "text-bg-secondary", replaced: "text-bg-secondary" }[item.status] || "text-bg-danger";
    return h("span", { class: `badge ${cls}`, testid: "item-status" }, FieldOutbox.LABELS[item.status] || item.status);
  }

  screens.outbox = (app) => {
    const items = app.items.slice().reverse();
    return h("section", {},
      h("h1", { class: "field-h1" }, "发件箱"),
      h("p", { class: "field-meta", testid: "last-sync" }, `上次成功同步:${formatTime(app.lastSync)}`),
      app.outbox.lastError ? h("p", { class: "field-warn", testid: "sync-error" }, `未能同步:${app.outbox.lastError},稍后自动重试。`) : null,
      h("button", { type: "button", class: "btn btn-primary btn-lg w-100 mb-3", testid: "sync-now", disabled: app.outbox.locked, on: { click: () => app.syncNow() } },
        h("i", { class: "bi bi-arrow-repeat", "aria-hidden": "true" }), app.outbox.running ? " 正在同步…" : " 立即同步"),
      items.length ? null : h("p", { class: "text-muted" }, "发件箱是空的。"),
      h("ul", { class: "field-list" },
        items.map((item) =>
          h("li", { class: "field-item", testid: "outbox-item", "data-status": item.status },
            h("div", { class: "d-flex justify-content-between gap-2" }, h("strong", {}, item.summary), statusBadge(item)),
            h("small", {}, `记录于 ${formatTime(item.created_at)}${item.result && item.result.record ? ` · ${item.result.record.label}` : ""}`),
            item.result && item.result.message && item.status !== "synced" ? h("p", { class: "field-warn" }, item.result.message) : null,
            item.status === "invalid" || item.status === "refused" ? errorList(item.result && item.result.errors) : null,
            item.status === "invalid" || item.status === "refused"
              ? h("a", { class: "btn btn-outline-primary w-100", href: EDIT_ROUTES[item.type](item), testid: "edit-item" }, "修改后重新提交")
              : null,
            item.status === "conflict" ? h("a", { class: "btn btn-outline-danger w-100", href: "#conflicts" }, "去处理冲突") : null))));
  };

  screens.conflicts = (app) => {
    const conflicts = app.items.filter((item) => item.status === "conflict");
    return h("section", {},
      h("h1", { class: "field-h1" }, "冲突处理"),
      conflicts.length ? h("p", { class: "field-meta" }, "这些记录在您离线期间情况有变,请选择如何处理。") : h("p", { class: "text-muted", testid: "no-conflicts" }, "没有需要处理的冲突。"),
      h("ul", { class: "field-list" },
        conflicts.map((item) =>
          h("li", { class: "field-item", testid: "conflict-item" },
            h("strong", {}, item.summary),
            h("p", { class: "field-warn", testid: "conflict-reason" }, item.result.message || item.result.reason),
            h("div", { class: "d-grid gap-2" },
              (item.result.options || []).map((option) =>
                h("button", { type: "button", class: "btn btn-lg btn-outline-primary", "data-option": option.code, testid: "conflict-option", on: { click: () => app.resolve(item.key, option) } }, option.label)))))));
  };

  window.FieldScreens = { screens, h, formatTime };
})();
