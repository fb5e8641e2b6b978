#!/usr/bin/env Rscript
# Regenerate the golden files of tests/reference/ with WHO's own software, the R package anthro.
#
#   Rscript tests/reference/make_reference.R
#
# Produced the committed files with anthro 1.1.0.9000 (github.com/WorldHealthOrganization/anthro,
# commit b776d8a12b1c97369c748b561159fd2ec4f4db58), R 4.2.2 and survey 4.1.1; install with
#   remotes::install_github("WorldHealthOrganization/anthro@b776d8a12b1c97369c748b561159fd2ec4f4db58")
#   remotes::install_version("survey", "4.1-1")
# Afterwards the sha256 sums must equal those in README.md (tests/test_growth_reference_files.py).
#
# Inputs (not regenerated here): the input columns of reference_cases.csv (2,000 children made
# for the purpose; case groups in README.md) and prevalence_input.csv, which is the J_random
# group of those inputs (make_prevalence_input.py writes it). Outputs:
#   reference_cases.csv      inputs + anthro_zscores() output columns
#   prev_simple.csv          anthro_prevalence() without a survey design
#   prev_cluster_strata.csv  anthro_prevalence() with cluster and strata
#                            (anthro builds survey::svydesign(ids = ~cluster, strata = ~strata,
#                            weights = ~sw, nest = TRUE) from them)
# Functions and arguments as documented in anthro's reference manual (?anthro_zscores,
# ?anthro_prevalence): age in days (is_age_in_month = FALSE), sex 1/2, measure "l"/"h",
# oedema "n"/"y"; missing values are NA (empty fields in the CSV files).

suppressPackageStartupMessages({
  library(anthro)
  library(survey)
})
stopifnot(packageVersion("anthro") >= "1.1.0")

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grepl("^--file=", args)])
here <- if (length(script)) dirname(normalizePath(script)) else "tests/reference"

inputs <- c("case_id", "case_group", "sex", "age_days", "weight_kg", "lenhei_cm", "measure",
            "oedema", "cluster", "strata")
outputs <- c("clenhei", "cmeasure", "c9mo_flag", "cbmi", "csex", "zlen", "flen", "zwei", "fwei",
             "zwfl", "fwfl", "zbmi", "fbmi")
classes <- c(case_id = "integer", case_group = "character", sex = "numeric",
             age_days = "numeric", weight_kg = "numeric", lenhei_cm = "numeric",
             measure = "character", oedema = "character", cluster = "integer",
             strata = "integer")

read_inputs <- function(name) {
  x <- read.csv(file.path(here, name), na.strings = "", stringsAsFactors = FALSE,
                colClasses = classes)
  x[inputs]
}

write_golden <- function(x, name) {
  # write.csv quotes text columns and the header, writes doubles with 15 significant digits
  # and missing values as empty fields: the layout of the committed files
  write.csv(x, file.path(here, name), row.names = FALSE, na = "")
}

# the groups of the committed prevalence files, in anthro's order
standard_groups <- function(p) {
  p[grepl("^(All$|Age group: |Sex: |Age \\+ sex: )", p$Group), , drop = FALSE]
}

# ---- z-scores of the 2,000 reference children -------------------------------------------
cases <- read_inputs("reference_cases.csv")
z <- with(cases, anthro_zscores(
  sex = sex, age = age_days, is_age_in_month = FALSE, weight = weight_kg,
  lenhei = lenhei_cm, measure = measure, oedema = oedema
))
write_golden(cbind(cases, z[outputs]), "reference_cases.csv")

# ---- prevalence of the 938 survey-like children -----------------------------------------
survey_children <- read_inputs("prevalence_input.csv")
simple <- with(survey_children, anthro_prevalence(
  sex = sex, age = age_days, is_age_in_month = FALSE, weight = weight_kg,
  lenhei = lenhei_cm, measure = measure, oedema = oedema
))
write_golden(standard_groups(simple), "prev_simple.csv")

design <- with(survey_children, anthro_prevalence(
  sex = sex, age = age_days, is_age_in_month = FALSE, weight = weight_kg,
  lenhei = lenhei_cm, measure = measure, oedema = oedema,
  cluster = cluster, strata = strata
))
write_golden(standard_groups(design), "prev_cluster_strata.csv")

message("Ditulis: reference_cases.csv, prev_simple.csv, prev_cluster_strata.csv di ", here)
