-- Items stored before co-responsible departments: their only department is their lead.
UPDATE "catalog_items" SET "department_codes" = ARRAY["department_code"] WHERE cardinality("department_codes") = 0;
