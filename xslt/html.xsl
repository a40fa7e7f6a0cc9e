<?xml version="1.0" encoding="UTF-8"?>
<!-- The HTML edition: a TEI document in, its page out; or, called as site-page, a whole-corpus page.
     print.xsl imports this and overrides what differs on paper. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:import href="common/functions.xsl"/>
  <xsl:import href="common/site.xsl"/>
  <xsl:import href="common/page.xsl"/>
  <xsl:import href="common/phrase.xsl"/>
  <xsl:import href="common/notes.xsl"/>
  <xsl:import href="core.xsl"/>
  <xsl:import href="namesdates.xsl"/>
  <xsl:import href="textstructure.xsl"/>
  <xsl:import href="corresp.xsl"/>
  <xsl:import href="header.xsl"/>
  <xsl:import href="registers.xsl"/>
  <xsl:import href="chronology.xsl"/>
  <xsl:import href="pages.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:template match="/">
    <xsl:apply-templates select="TEI | teiCorpus" mode="page"/>
  </xsl:template>
</xsl:stylesheet>
