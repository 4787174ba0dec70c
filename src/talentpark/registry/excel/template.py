"""Writing the registry workbooks: the import template, the marked-up error workbook, the export.

All three have the same shape, built from a :class:`~.columns.SheetSpec` in openpyxl's
write-only mode (memory stays flat for 35,000 rows):

* the data sheet (人才 / 企业 / 创新平台 / 项目): Chinese headers (required ones marked
  "*" and red), frozen header row, sensible widths, text format on code columns (so an
  ID number typed in does not become a rounded number), and a drop-down on every
  code-table column;
* 说明: every column — required or not, format, example — and the sheet's rules;
* 代码表 (hidden): the drop-down lists, referenced by range — degrees, titles, skill and
  programme levels, housing, scale, platform kind and level, project kind and status,
  GB/T 4754 industry classes, GB/T 2260 divisions, universities, and this zone's
  enterprises and chains.

The marked-up workbook repeats the uploaded sheet cell for cell (same rows, same
columns, same order), fills each bad cell red with a comment giving the reason, and
adds a 错误汇总 sheet listing every problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from talentpark.core.models import Division, Industry, University, Zone
from talentpark.registry.excel.columns import (
    CHAIN,
    CHOICE,
    DATE,
    DIVISION,
    ENTERPRISE,
    ID_NUMBER,
    INDUSTRY,
    MOBILE,
    REF,
    UNIVERSITY,
    USCC,
    Column,
    SheetSpec,
)
from talentpark.registry.models import Enterprise, IndustryChain

LISTS_SHEET = "代码表"
GUIDE_SHEET = "说明"
ERRORS_SHEET = "错误汇总"
_TEXT_KINDS = (ID_NUMBER, MOBILE, USCC, REF)
_BOLD = Font(bold=True)
_RED_BOLD = Font(bold=True, color="C00000")
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
_BAD_FONT = Font(color="9C0006")
_WRAP = Alignment(wrap_text=True, vertical="top")


def list_values(source: str, column: Column | None, zone: Zone | None) -> list[str]:
    """The entries of one drop-down list."""
    if source.startswith("choice:"):
        assert column is not None
        return column.choice_labels()
    if source == UNIVERSITY:
        return list(University.objects.order_by("name").values_list("name", flat=True))
    if source == INDUSTRY:
        return [
            f"{code} {name}"
            for code, name in Industry.objects.filter(level=Industry.Level.CLASS)
            .order_by("code")
            .values_list("code", "name")
        ]
    if source == DIVISION:
        return [
            f"{code} {name}"
            for code, name in Division.objects.filter(is_current=True)
            .order_by("code")
            .values_list("code", "name")
        ]
    if source == ENTERPRISE:
        return [
            f"{uscc} {name}"
            for uscc, name in Enterprise.objects.filter(zone=zone)
            .order_by("name")
            .values_list("uscc", "name")
        ]
    if source == CHAIN:
        return list(IndustryChain.objects.filter(zone=zone).order_by("order").values_list("name", flat=True))
    raise ValueError(source)


def _header_cell(ws: Any, column: Column | None, value: Any) -> Any:
    cell = WriteOnlyCell(ws, value=column.title if column is not None else value)
    cell.font = _RED_BOLD if column is not None and column.required else _BOLD
    cell.fill = _HEAD_FILL
    return cell


def value_cell(ws: Any, value: Any, reason: str | None = None) -> Any:
    """A data cell: text as a string (never a formula), dates formatted, bad cells marked."""
    if reason is None:
        if value is None or isinstance(value, int | float) or (isinstance(value, str) and value[:1] != "="):
            return value  # plain values need no cell object (the fast path for 35,000-row exports)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if reason:
        cell.fill = _BAD_FILL
        cell.font = _BAD_FONT
        comment = Comment(reason, "导入校验")
        comment.width, comment.height = 320, 40 + 20 * reason.count("\n")
        cell.comment = comment
    return cell


class RegistryWorkbook:
    """One registry workbook in write-only mode: data sheet first, then 说明 and 代码表."""

    def __init__(
        self, spec: SheetSpec, zone: Zone | None, layout: Sequence[Column | None], sheet_title: str = ""
    ) -> None:
        self.spec, self.zone, self.layout = spec, zone, list(layout)
        self.book = Workbook(write_only=True)
        self.ws = self.book.create_sheet(sheet_title or spec.sheet)
        self.ws.freeze_panes = "A2"
        for index, column in enumerate(self.layout, start=1):
            dim = self.ws.column_dimensions[get_column_letter(index)]
            dim.width = column.width if column is not None else 14
            if column is not None and column.kind in _TEXT_KINDS:
                dim.number_format = "@"
        self._lists: list[tuple[str, str, list[str]]] = []  # (source, title, entries)
        self._add_validations()

    def _add_validations(self) -> None:
        positions: dict[str, list[int]] = {}
        columns: dict[str, Column] = {}
        for index, column in enumerate(self.layout, start=1):
            if column is not None and column.list_source:
                positions.setdefault(column.list_source, []).append(index)
                columns[column.list_source] = column
        for source, indexes in positions.items():
            column = columns[source]
            entries = list_values(source, column, self.zone)
            if not entries:
                continue
            self._lists.append((source, column.header, entries))
            letter = get_column_letter(len(self._lists))
            ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(entries) + 1}"
            strict = column.kind == CHOICE
            dv = DataValidation(
                type="list",
                formula1=ref,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop" if strict else "warning",
                errorTitle=column.header,
                error="请从下拉列表中选择" if strict else "不在下拉列表中，导入时将核对",
            )
            for index in indexes:
                col = get_column_letter(index)
                dv.add(f"{col}2:{col}1048576")
            self.ws.data_validations.append(dv)
        for index, column in enumerate(self.layout, start=1):
            if column is not None and column.kind == DATE:
                col = get_column_letter(index)
                hint = DataValidation(
                    type="date",
                    operator="greaterThan",
                    formula1="1",
                    allow_blank=True,
                    showErrorMessage=False,
                    showInputMessage=True,
                    promptTitle=column.header,
                    prompt="如 2021-03-01",
                )
                hint.add(f"{col}2:{col}1048576")
                self.ws.data_validations.append(hint)

    def header(self, cells: Sequence[Any] | None = None) -> None:
        values = cells if cells is not None else [None] * len(self.layout)
        self.ws.append([_header_cell(self.ws, c, v) for c, v in zip(self.layout, values, strict=False)])

    def plain_row(self, values: Sequence[Any]) -> None:
        self.ws.append([value_cell(self.ws, v) for v in values])

    def row(self, values: Sequence[Any], reasons: dict[int, str] | None = None) -> None:
        """A data row; ``reasons`` maps 1-based column numbers to the problem text."""
        reasons = reasons or {}
        width = max(len(values), max(reasons, default=0))
        cells = []
        for index in range(1, width + 1):
            value = values[index - 1] if index <= len(values) else None
            cells.append(value_cell(self.ws, value, reasons.get(index)))
        self.ws.append(cells)

    def _guide(self) -> None:
        ws = self.book.create_sheet(GUIDE_SHEET)
        for letter, width in zip("ABCDE", (26, 10, 60, 24, 20), strict=True):
            ws.column_dimensions[letter].width = width
        ws.append([WriteOnlyCell(ws, value=f"{self.spec.title}导入说明")])
        for note in (
            f"在“{self.spec.sheet}”工作表第1行以下逐行填写，每行一条记录；标“*”的列必填；列的顺序可以调换，列名不能改。",
            "不要合并单元格，不要填写公式（以 = 开头的内容）；日期可写 2021-03-01、2021/3/1、2021年3月1日或20210301。",
            "全角数字与空格会自动转换；导入前系统逐行校验，任何一行有误都不会写入，可下载标注了错误的工作簿修改后重新上传。",
            *self.spec.notes,
        ):
            ws.append([WriteOnlyCell(ws, value=note)])
        ws.append([])
        ws.append([_header_cell(ws, None, h) for h in ("列名", "是否必填", "填写说明", "示例", "下拉选项")])
        for column in self.spec.columns:
            fmt = column.fmt
            if not fmt and column.max_len:
                fmt = f"文本，不超过{column.max_len}个字"
            options = (
                "、".join(column.choice_labels()) if column.kind == CHOICE else ("有" if column.ref else "")
            )
            ws.append(
                [
                    value_cell(ws, column.header),
                    value_cell(ws, "必填" if column.required else "选填"),
                    value_cell(ws, fmt),
                    value_cell(ws, column.example or None),
                    value_cell(ws, options or None),
                ]
            )

    def _lists_sheet(self) -> None:
        ws = self.book.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
        if not self._lists:
            return
        longest = max(len(entries) for _s, _t, entries in self._lists)
        ws.append([value_cell(ws, title) for _s, title, _e in self._lists])
        for i in range(longest):
            ws.append(
                [value_cell(ws, entries[i]) if i < len(entries) else None for _s, _t, entries in self._lists]
            )

    def errors_sheet(self, problems: Iterable[Sequence[Any]]) -> None:
        ws = self.book.create_sheet(ERRORS_SHEET)
        for letter, width in zip("ABCD", (8, 8, 24, 70), strict=True):
            ws.column_dimensions[letter].width = width
        ws.append([_header_cell(ws, None, h) for h in ("行号", "列", "列名", "问题")])
        for row, col, header, reason in problems:
            ws.append(
                [row, get_column_letter(col) if col else "", value_cell(ws, header), value_cell(ws, reason)]
            )

    def save(self, path: Path | IO[bytes]) -> None:
        self._guide()
        self._lists_sheet()
        self.book.save(path)


def write_template(path: Path | IO[bytes], spec: SheetSpec, zone: Zone | None) -> None:
    book = RegistryWorkbook(spec, zone, spec.columns)
    book.header()
    book.save(path)


def write_records(path: Path, spec: SheetSpec, zone: Zone | None, rows: Iterable[Sequence[Any]]) -> None:
    """The export in import format: one row per record, values in ``spec.columns`` order."""
    book = RegistryWorkbook(spec, zone, spec.columns)
    book.header()
    for values in rows:
        book.row(values)  # already neutralised by core.export.cell_value
    book.save(path)


def write_marked(
    path: Path,
    spec: SheetSpec,
    zone: Zone | None,
    sheet_title: str,
    header_row: int,
    layout: Sequence[Column | None],
    rows: Iterable[tuple[int, Sequence[Any]]],
    problems: Sequence[Sequence[Any]],
) -> None:
    """The uploaded sheet again, cell for cell, with each problem's cell red and commented."""
    by_row: dict[int, dict[int, list[str]]] = {}
    for row, col, _header, reason in problems:
        by_row.setdefault(row, {}).setdefault(col or 1, []).append(reason)
    book = RegistryWorkbook(spec, zone, layout, sheet_title)
    if header_row != 1:
        book.ws.freeze_panes = f"A{header_row + 1}"
    for number, values in rows:
        if number == header_row:
            book.header(values)
            continue
        reasons = {col: "\n".join(texts) for col, texts in by_row.get(number, {}).items()}
        book.row(list(values), reasons)
    book.errors_sheet(problems)
    book.save(path)
