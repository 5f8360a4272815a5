# ruff: noqa: E501 — a table of text edits, one per line
"""Write tests/shapes/invalid/NAME.ttl: the valid complete.ttl with the one change that breaks rule pks:NAME.

Run from the checkout after changing tests/shapes/valid/complete.ttl or adding a rule:
    python scripts/make_shape_fixtures.py
Each change is (old text, new text), applied once; a change that no longer applies stops
the script, naming the rule.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
base = (ROOT / "tests/shapes/valid/complete.ttl").read_text("utf-8")
A = '<doc/A> a pkg:PolicyDocument ;\n'
M = '<doc/A/measure/1> a pkg:Measure ;\n'
INC = '<doc/A/measure/1/incentive/1> a pkg:Incentive ;\n'
cases = {
 "document-label": [('    rdfs:label "杭政办函〔2023〕81号"@zh ;\n', '')],
 "document-title": [('eli:title "关于打造全国专精特新名城的实施意见"@zh', 'eli:title "关于打造全国专精特新名城的实施意见"@en')],
 "document-number": [('    eli:id_local "杭政办函〔2023〕81号" ;\n', '    eli:id_local "杭政办函〔2023〕81号" , "杭政办函〔2023〕82号" ;\n')],
 "document-date-document": [('eli:date_document "2023-12-27"^^xsd:date', 'eli:date_document "2023-12-27"')],
 "document-header-date": [(A, A + '    pkg:headerDateDocument "2023-12-27" ;\n')],
 "document-date-publication": [(A, A + '    eli:date_publication "2024-05-29T09:25:00"^^xsd:dateTime ;\n')],
 "document-entry-into-force": [('eli:first_date_entry_in_force "2024-01-27"^^xsd:date', 'eli:first_date_entry_in_force "2024-01-27"^^xsd:date , "2024-02-01"^^xsd:date')],
 "document-end": [('eli:date_no_longer_in_force "2025-12-31"^^xsd:date', 'eli:date_no_longer_in_force "2025年12月31日"')],
 "document-is-draft": [(A + '    rdfs:label "杭政办函〔2023〕81号"@zh ;\n    eli:title "关于打造全国专精特新名城的实施意见"@zh ;\n    eli:id_local "杭政办函〔2023〕81号" ;\n    eli:date_document "2023-12-27"^^xsd:date ;\n    eli:first_date_entry_in_force "2024-01-27"^^xsd:date ;\n    eli:date_no_longer_in_force "2025-12-31"^^xsd:date ;\n    pkg:isDraft false ;\n',
                        A + '    rdfs:label "杭政办函〔2023〕81号"@zh ;\n    eli:title "关于打造全国专精特新名城的实施意见"@zh ;\n    eli:id_local "杭政办函〔2023〕81号" ;\n    eli:date_document "2023-12-27"^^xsd:date ;\n    eli:first_date_entry_in_force "2024-01-27"^^xsd:date ;\n    eli:date_no_longer_in_force "2025-12-31"^^xsd:date ;\n')],
 "document-referenced-only": [('    pkg:referencedOnly false ;\n    pkg:sourceFile "a.txt" ;', '    pkg:referencedOnly "no" ;\n    pkg:sourceFile "a.txt" ;')],
 "document-jurisdiction": [('    eli:jurisdiction <area/浙江省/杭州市> ;', '    eli:jurisdiction <org/杭州市经信局> ;')],
 "document-issuer": [('    eli:passed_by <org/杭州市人民政府办公厅> ;', '    eli:passed_by <area/浙江省> ;')],
 "document-number-as-written": [(A, A + '    pkg:docNumberAsWritten "吉政发〔20221号"@zh ;\n')],
 "document-tier": [('    pkg:hasLadder <doc/A/ladder> ;\n    pkg:mentionsTier <tier/little-giant> ;', '    pkg:hasLadder <doc/A/ladder> ;\n    pkg:mentionsTier <area/浙江省> ;')],
 "document-date-order": [('eli:date_document "2023-12-27"^^xsd:date', 'eli:date_document "2024-03-01"^^xsd:date')],
 "repeal-before-start": [('eli:date_no_longer_in_force "2024-01-26"^^xsd:date', 'eli:date_no_longer_in_force "2024-01-27"^^xsd:date')],
 "no-cycle": [('    eli:repealed_by <doc/A> ;', '    eli:repealed_by <doc/A> ;\n    eli:repeals <doc/A> ;'),
              (A, A + '    eli:repealed_by <doc/B> ;\n')],
 "draft-not-in-force": [('    pkg:isDraft true ;', '    pkg:isDraft true ;\n    eli:first_date_entry_in_force "2024-01-01"^^xsd:date ;')],
 "draft-has-final": [('    pkg:draftOf <doc/A> .', '    .'), ('    pkg:hasDraft <doc/D> ;\n', '')],
 "cumulative-targets-rise": [('pkg:targetCount 20 ;', 'pkg:targetCount 5 ;')],
 "entry-into-force-in-part": [('    eli:first_date_entry_in_force "2024-01-27"^^xsd:date ;\n    eli:date_no_longer_in_force "2025-12-31"^^xsd:date ;\n    pkg:isDraft false ;\n    pkg:referencedOnly false ;',
                               '    pkg:entryIntoForceNotBefore "2024-01-01"^^xsd:date ;\n    pkg:entryIntoForceNotAfter "2024-12-31"^^xsd:date ;\n    eli:date_no_longer_in_force "2025-12-31"^^xsd:date ;\n    pkg:isDraft false ;\n    pkg:referencedOnly false ;')],
 "header-date-contradicts": [(A, A + '    pkg:headerDateDocument "2024-05-29"^^xsd:date ;\n')],
 "stated-validity-contradicted": [(A, A + '    pkg:statedValidity "有效"@zh ;\n')],
 "measure-co-leads-stated": [('    pkg:leadUnit <org/杭州市经信局> ;', '    pkg:leadUnit <org/杭州市经信局> , <org/杭州市财政局> ;')],
 "measure-number": [('    eli:number "3" ;\n', '    eli:number "3" , "三" ;\n')],
 "measure-ordinal": [('    pkg:ordinal 1 ;', '    pkg:ordinal 0 ;')],
 "measure-text": [('给予不超过100万元一次性奖励。"@zh', '给予不超过100万元一次性奖励。"')],
 "measure-heading": [('    pkg:heading "强化成长激励"@zh ;', '    pkg:heading "强化成长激励"@zh , "成长激励"@zh ;')],
 "measure-part-of": [('    eli:is_part_of <doc/A> ;', '    eli:is_part_of <doc/A> , <area/浙江省> ;'),
                     ('<area/浙江省> a pkg:AdministrativeArea ;', '<area/浙江省> eli:has_part <doc/A/measure/1> .\n<area/浙江省> a pkg:AdministrativeArea ;')],
 "measure-evidence": [('    pkg:offers <doc/A/measure/1/incentive/1> ;\n    pkg:evidence <doc/A/measure/1/evidence/text> .', '    pkg:offers <doc/A/measure/1/incentive/1> .')],
 "measure-units": [('    pkg:responsibleUnit <org/杭州市经信局> , <org/杭州市财政局> ;', '    pkg:responsibleUnit <org/杭州市经信局> , <area/浙江省> ;')],
 "measure-tier": [('    pkg:leadUnit <org/杭州市经信局> ;\n    pkg:mentionsTier <tier/little-giant> ;', '    pkg:leadUnit <org/杭州市经信局> ;\n    pkg:mentionsTier <incentive-type/one-off-reward> ;')],
 "measure-has-units": [('    pkg:responsibleUnit <org/杭州市经信局> , <org/杭州市财政局> ;\n    pkg:leadUnit <org/杭州市经信局> ;\n', '')],
 "measure-lead": [('    pkg:leadUnit <org/杭州市经信局> ;\n', '')],
 "incentive-beneficiary": [('    pkg:beneficiary pkg:Enterprises ;\n', '    pkg:beneficiary pkg:Enterprises , pkg:LowerGovernments ;\n')],
 "budget-amount": [('    pkg:budgetAmount 10000000.0 ;', '    pkg:budgetAmount "1000万元" ;')],
 "budget-kind": [('    pkg:budgetKind "allocation" ;', '    pkg:budgetKind "cap" ;')],
 "budget-stated": [('    pkg:statesBudget <doc/A/measure/1/budget/1> ;\n', '')],
 "budget-evidence": [('    pkg:perYear true ;\n    pkg:evidence <doc/A/measure/1/budget/1/evidence/quote> .', '    pkg:perYear true .')],
 "incentive-type": [('    pkg:incentiveType <incentive-type/one-off-reward> ;\n', '')],
 "incentive-amount": [('    pkg:maxAmount 1000000.0 ;', '    pkg:maxAmount 1000000.0 ;\n    pkg:amount -5.0 ;')],
 "incentive-max-amount": [('    pkg:maxAmount 1000000.0 ;', '    pkg:maxAmount 0.0 ;')],
 "incentive-min-investment": [('    pkg:maxAmount 1000000.0 ;', '    pkg:maxAmount 1000000.0 ;\n    pkg:minInvestment "500万元" ;')],
 "incentive-rate": [('    pkg:maxAmount 1000000.0 ;', '    pkg:maxAmount 1000000.0 ;\n    pkg:rate 1.5 ;')],
 "incentive-tier": [('    pkg:forTier <tier/little-giant> ;\n    pkg:maxAmount', '    pkg:forTier <incentive-type/one-off-reward> ;\n    pkg:maxAmount')],
 "incentive-offered": [('    pkg:offers <doc/A/measure/1/incentive/1> ;\n', '')],
 "incentive-evidence": [('    pkg:perYear false ;\n    pkg:evidence <doc/A/measure/1/incentive/1/evidence/quote> .', '    pkg:perYear false .')],
 "incentive-figure": [('    pkg:maxAmount 1000000.0 ;\n', '')],
 "target-tier": [('<doc/A/target/1> a pkg:Target ; pkg:forTier <tier/little-giant> ;', '<doc/A/target/1> a pkg:Target ;')],
 "target-count": [('pkg:targetCount 10 ;', 'pkg:targetCount -1 ;')],
 "target-year": [('pkg:targetYear "2024"^^xsd:gYear ;', 'pkg:targetYear 2024 ;')],
 "target-cumulative": [('pkg:targetCount 10 ;\n    pkg:targetYear "2024"^^xsd:gYear ; pkg:cumulative true ;', 'pkg:targetCount 10 ;\n    pkg:targetYear "2024"^^xsd:gYear ;')],
 "target-set-by": [('    pkg:setsTarget <doc/A/target/1> , <doc/A/target/2> ;', '    pkg:setsTarget <doc/A/target/1> ;')],
 "target-evidence": [('pkg:baseline false ;\n    pkg:evidence <doc/A/target/1/evidence/quote> .', 'pkg:baseline false .')],
 "ladder-rungs": [('<doc/A/ladder> a pkg:TierLadder ; pkg:rung <doc/A/ladder/1> , <doc/A/ladder/2> ;', '<doc/A/ladder> a pkg:TierLadder ; pkg:rung <doc/A/ladder/1> ;')],
 "ladder-evidence": [('pkg:rung <doc/A/ladder/1> , <doc/A/ladder/2> ;\n    pkg:evidence <doc/A/ladder/evidence/quote> .', 'pkg:rung <doc/A/ladder/1> , <doc/A/ladder/2> .')],
 "rung-position": [('<doc/A/ladder/1> a pkg:LadderRung ; pkg:position 1 ;', '<doc/A/ladder/1> a pkg:LadderRung ; pkg:position 0 ;')],
 "rung-tier": [('<doc/A/ladder/1> a pkg:LadderRung ; pkg:position 1 ; pkg:forTier <tier/specialized-sme> .', '<doc/A/ladder/1> a pkg:LadderRung ; pkg:position 1 .')],
 "organization-label": [('<org/杭州市财政局> a org:Organization ; skos:prefLabel "市财政局"@zh ;', '<org/杭州市财政局> a org:Organization ;')],
 "organization-area": [('    dcterms:spatial <area/浙江省/杭州市> .', '    dcterms:spatial <org/杭州市人民政府办公厅> .')],
 "organization-parent": [('    org:subOrganizationOf <org/杭州市人民政府办公厅> .', '    org:subOrganizationOf <area/浙江省> .')],
 "change-original": [('    org:originalOrganization <org/杭州市地方金融监管局> ; org:resultingOrganization', '    org:resultingOrganization')],
 "change-resulting": [('; org:resultingOrganization <org/杭州市委金融办> .', '.')],
 "area-label": [('<area/浙江省> a pkg:AdministrativeArea ; skos:prefLabel "浙江省"@zh ;', '<area/浙江省> a pkg:AdministrativeArea ;')],
 "area-admin-code": [('pkg:adminCode "330100" ;', 'pkg:adminCode "3301" ;')],
 "area-statistical-code": [('pkg:adminCode "330100" ;', 'pkg:adminCode "330100" ;\n    pkg:statisticalCode "330100" ;')],
 "area-within": [('pkg:withinArea <area/浙江省> .', 'pkg:withinArea <org/杭州市经信局> .')],
 "tier-rank": [('"SRDI little giant"@en ; pkg:tierRank 5 ;', '"SRDI little giant"@en ;')],
 "tier-labels": [('skos:prefLabel "专精特新“小巨人”企业"@zh , "SRDI little giant"@en ;', 'skos:prefLabel "专精特新“小巨人”企业"@zh ;')],
 "tier-order": [('"SRDI SME"@en ; pkg:tierRank 3 .', '"SRDI SME"@en ; pkg:tierRank 6 .')],
 "evidence-exact": [('oa:exact "10家" ; oa:start 50 ; oa:end 53 ;', 'oa:exact "" ; oa:start 50 ; oa:end 50 ;')],
 "evidence-start": [('oa:exact "10家" ; oa:start 50 ; oa:end 53 ;', 'oa:exact "10家" ; oa:start -3 ; oa:end 0 ;')],
 "evidence-end": [('oa:exact "10家" ; oa:start 50 ; oa:end 53 ;', 'oa:exact "10家" ; oa:start 50 ; oa:end "53" ;')],
 "evidence-file": [('oa:exact "10家" ; oa:start 50 ; oa:end 53 ; pkg:sourceFile "a.txt" .', 'oa:exact "10家" ; oa:start 50 ; oa:end 53 .')],
 "evidence-span": [('oa:exact "10家" ; oa:start 50 ; oa:end 53 ;', 'oa:exact "10家" ; oa:start 50 ; oa:end 52 ;')],
 "alignment-from": [('<alignment/B--A> a pkg:Alignment ; pkg:alignedFrom <doc/B> ;', '<alignment/B--A> a pkg:Alignment ;')],
 "alignment-to": [('pkg:alignedFrom <doc/B> ; pkg:alignedTo <doc/A> .', 'pkg:alignedFrom <doc/B> .')],
 "correspondence-alignment": [('<alignment/B--A/1> a pkg:MeasureCorrespondence ; pkg:inAlignment <alignment/B--A> ;', '<alignment/B--A/1> a pkg:MeasureCorrespondence ;')],
 "correspondence-kind": [('pkg:changeKind "added" ;', 'pkg:changeKind "changed" ;')],
 "correspondence-score": [('pkg:changeKind "added" ;', 'pkg:changeKind "added" ; pkg:score 1.5 ;')],
 "correspondence-from": [('pkg:changeKind "added" ; pkg:toMeasure <doc/A/measure/1> .', 'pkg:changeKind "removed" ; pkg:fromMeasure <doc/B/x> .\n<doc/B> eli:has_part <doc/B/x> . <doc/B/x> eli:is_part_of <doc/B> .')],
 "correspondence-to": [('pkg:changeKind "added" ; pkg:toMeasure <doc/A/measure/1> .', 'pkg:changeKind "added" ; pkg:toMeasure <doc/A/x> .\n<doc/A> eli:has_part <doc/A/x> . <doc/A/x> eli:is_part_of <doc/A> .')],
 "correspondence-sides": [('pkg:changeKind "added" ;', 'pkg:changeKind "modified" ;')],
 "declared-inverse": [('    eli:cited_by <doc/A> ;\n', '')],
 "repeal-repealing": [('a pkg:Repeal ; pkg:repealing <doc/A> ; pkg:repealed', 'a pkg:Repeal ; pkg:repealed')],
 "repeal-repealed": [('; pkg:repealed <doc/B> ;', ';')],
 "citation-citing": [('a pkg:Citation ; pkg:citing <doc/A> ;', 'a pkg:Citation ;')],
 "citation-cited": [('pkg:citing <doc/A> ; pkg:cited <doc/B> .', 'pkg:citing <doc/A> .')],
 "implementation-implementing": [('a pkg:Implementation ; pkg:implementing <doc/A> ;', 'a pkg:Implementation ;')],
 "implementation-implemented": [('pkg:implementing <doc/A> ; pkg:implemented <doc/B> .', 'pkg:implementing <doc/A> ; pkg:implemented <org/杭州市经信局> .')],
 "draft-relation-draft": [('a pkg:DraftRelation ; pkg:draft <doc/D> ;', 'a pkg:DraftRelation ; pkg:draft <doc/D> , <doc/B> ;')],
 "draft-relation-final": [('pkg:draft <doc/D> ; pkg:final <doc/A> .', 'pkg:draft <doc/D> .')],
 "succession-successor": [('a pkg:Succession ; pkg:successor <doc/A> ;', 'a pkg:Succession ;')],
 "succession-predecessor": [('pkg:successor <doc/A> ; pkg:predecessor <doc/B> .', 'pkg:successor <doc/A> .')],
}
out = ROOT / "tests/shapes/invalid"
for name, edits in cases.items():
    text = base.replace("# A small graph with one node of every class, valid under every shape.",
                        f"# Invalid for one reason: pks:{name} (the valid complete.ttl with one change).")
    for old, new in edits:
        if old not in text:
            raise SystemExit(f"{name}: the change no longer applies: {old!r}")
        text = text.replace(old, new, 1)
    (out / f"{name}.ttl").write_text(text, "utf-8")
print(f"{len(cases)} fixtures written to {out}")
